package hark.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The answer to a transcription request with the right key: a 400 or 413 for a form OpenAI would
 * refuse, else the next scripted reply, else the transcript.
 *
 * <p>Scripted replies are a queue here rather than a WireMock scenario: a reply must be spent by
 * exactly one request, and only by one the real API would accept. A scenario's stub is found and
 * its state moved in two steps without a lock, so two requests arriving together could both be
 * given the same reply.
 */
final class TranscriptionAnswers implements ResponseDefinitionTransformerV2 {

    static final String NAME = "hark-transcription-answers";

    private final RequestRecorder recorder;
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();

    private volatile Duration latency = Duration.ZERO;
    private volatile long maxFileBytes = FakeTranscriptionApi.DEFAULT_MAX_FILE_BYTES;
    private volatile Function<Upload, String> transcriber =
            upload -> "heard " + upload.fileName() + " (" + upload.fileSize() + " bytes)";

    TranscriptionAnswers(RequestRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        FormParts form = FormParts.of(event.getRequest());
        ResponseDefinitionBuilder problem = UploadCheck.problem(form, maxFileBytes);
        if (problem != null) {
            return problem.build();
        }
        Reply next = script.poll();
        try {
            return (next != null ? next : Reply.DEFAULT)
                    .answer(form.upload(recorder.sequenceOf(event)), transcriber, latency)
                    .build();
        } catch (RuntimeException e) {
            return ApiBodies.error(500, "The fake's transcriber failed: " + e, null, null)
                    .build();
        }
    }

    Duration latency() {
        return latency;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    void maxFileBytes(long bytes) {
        this.maxFileBytes = bytes;
    }

    void transcriber(Function<Upload, String> transcriber) {
        this.transcriber = Objects.requireNonNull(transcriber);
    }

    void enqueue(List<Reply> replies) {
        script.addAll(replies);
    }

    int pendingReplies() {
        return script.size();
    }

    void clearScript() {
        script.clear();
    }
}
