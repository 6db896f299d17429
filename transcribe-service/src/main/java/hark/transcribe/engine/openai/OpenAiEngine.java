package hark.transcribe.engine.openai;

import hark.platform.PermanentFailure;
import hark.platform.ReplayableFailure;
import hark.platform.audio.AudioTarget;
import hark.transcribe.engine.EngineException;
import hark.transcribe.engine.EngineInput;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.TranscriptionEngine;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.FileNotFoundException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI's {@code /v1/audio/transcriptions}, or any server that speaks it (self-hosted Whisper
 * servers). Every call is guarded by {@link GuardedCalls}; what is left after the retries is
 * turned into the job's failure, worded for the person who uploaded.
 */
public final class OpenAiEngine implements TranscriptionEngine {

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "mp3",
            "audio/mpeg",
            "wav",
            "audio/wav",
            "flac",
            "audio/flac",
            "m4a",
            "audio/mp4",
            "ogg",
            "audio/ogg",
            "webm",
            "audio/webm");

    private final OpenAiProperties props;
    private final HttpClient http;
    private final GuardedCalls calls;
    private final String responseFormat;

    public OpenAiEngine(OpenAiProperties props) {
        this.props = props;
        this.http = HttpClient.newBuilder()
                .connectTimeout(props.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.calls = new GuardedCalls(props);
        this.responseFormat = props.effectiveResponseFormat();
    }

    GuardedCalls calls() {
        return calls;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public EngineInput input() {
        return new EngineInput(
                false,
                0,
                AudioTarget.MP3.maxBytes(),
                (long) AudioTarget.MP3.maxSeconds(),
                "verbose_json".equals(responseFormat));
    }

    /** The most one chunk can take: every try at the time limit, with the longest waits between. */
    @Override
    public Duration longestCall() {
        Duration longestWait =
                props.retry().maxRetryAfter().compareTo(props.circuitBreaker().openFor()) > 0
                        ? props.retry().maxRetryAfter()
                        : props.circuitBreaker().openFor();
        // Waiting for the rate limiter or bulkhead can add up to one more time limit per try.
        return props.timeLimit()
                .multipliedBy(2)
                .plus(longestWait.multipliedBy(11).dividedBy(10))
                .multipliedBy(Math.max(1, props.retry().attempts()));
    }

    @Override
    public Transcript transcribe(Path audio) {
        if (!props.hasKey() && props.needsKey()) {
            throw new ReplayableFailure("The OpenAI engine is selected but OPENAI_API_KEY is not set, so Hark "
                    + "cannot call the transcription API. Set the key and replay the job.");
        }
        HttpRequest request = request(audio);
        try {
            return calls.call(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> OpenAiAnswer.read(response, Clock.systemUTC())));
        } catch (ApiCallFailure failure) {
            throw forTheJob(failure);
        } catch (CallNotPermittedException open) {
            throw new ReplayableFailure(
                    "The transcription API is unavailable: calls kept failing, and it did not "
                            + "recover while this chunk waited. Replay the job when it is back.",
                    open);
        }
    }

    private HttpRequest request(Path audio) {
        MultipartForm form = new MultipartForm().field("model", props.model()).field("response_format", responseFormat);
        if (props.language() != null && !props.language().isBlank()) {
            form.field("language", props.language());
        }
        try {
            form.file("file", audio, contentType(audio));
        } catch (FileNotFoundException e) {
            throw new EngineException("The chunk " + audio.getFileName() + " cannot be read", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(props.transcriptionsUrl())
                .timeout(props.timeLimit())
                .header("Content-Type", form.contentType())
                .POST(form.body());
        if (props.hasKey()) {
            request.header("Authorization", "Bearer " + props.apiKey().strip());
        }
        return request.build();
    }

    private static String contentType(Path audio) {
        String name = audio.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private RuntimeException forTheJob(ApiCallFailure failure) {
        int tries = Math.max(1, props.retry().attempts());
        switch (failure.kind()) {
            case REJECTED_AUDIO:
                return new PermanentFailure(
                        "The transcription API rejected this audio (" + failure.getMessage() + ").", failure);
            case REFUSED_KEY:
                return new ReplayableFailure(
                        "The transcription API refused Hark's key (" + failure.getMessage()
                                + "). Check OPENAI_API_KEY, then replay the job.",
                        failure);
            case CLIENT_ERROR:
                return new ReplayableFailure(
                        "The transcription API at " + props.transcriptionsUrl()
                                + " did not accept the request (" + failure.getMessage()
                                + "). Check OPENAI_BASE_URL and HARK_OPENAI_MODEL, then replay the job.",
                        failure);
            case RATE_LIMITED:
                return new ReplayableFailure(
                        "The transcription API kept asking Hark to slow down (" + failure.getMessage() + ") for all "
                                + tries + " tries.",
                        failure);
            case TIMEOUT:
                return new ReplayableFailure(
                        "The transcription API did not answer in time on any of " + tries + " tries ("
                                + failure.getMessage() + ").",
                        failure);
            case MALFORMED:
                return new ReplayableFailure(
                        "The transcription API's answer could not be read on any of " + tries + " tries ("
                                + failure.getMessage() + ").",
                        failure);
            default:
                return new ReplayableFailure(
                        "The transcription API failed on all " + tries + " tries; the last: " + failure.getMessage()
                                + ".",
                        failure);
        }
    }
}
