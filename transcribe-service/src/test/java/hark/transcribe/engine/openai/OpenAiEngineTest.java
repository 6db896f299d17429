package hark.transcribe.engine.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.platform.PermanentFailure;
import hark.platform.ReplayableFailure;
import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import hark.testing.Reply;
import hark.transcribe.engine.Transcript;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI engine against a local stand-in of the API that checks each request and injects faults. */
class OpenAiEngineTest {

    private static final String KEY = "sk-test-key";

    @TempDir
    Path dir;

    private FakeTranscriptionApi api;
    private Path chunk;

    @BeforeEach
    void start() throws IOException {
        api = FakeTranscriptionApi.start(KEY);
        chunk = dir.resolve("chunk-0.mp3");
        byte[] audio = new byte[50_000];
        new Random(7).nextBytes(audio);
        Files.write(chunk, audio);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sendsTheFileModelFormatLanguageAndKeyTheApiExpects() throws Exception {
        api.enqueue(Reply.ok("eight of spades"));

        Transcript transcript = engine(settings()).transcribe(chunk);

        assertThat(transcript.text()).isEqualTo("eight of spades");
        RecordedRequest request = api.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(request.model()).isEqualTo("whisper-1");
        assertThat(request.responseFormat()).isEqualTo("verbose_json");
        assertThat(request.language()).isEqualTo("en");
        assertThat(request.fileName()).isEqualTo("chunk-0.mp3");
        assertThat(request.fileSize()).isEqualTo(Files.size(chunk));
        assertThat(request.fileSha256()).isEqualTo(sha256(chunk));
    }

    @Test
    void gpt4oModelsAskForPlainJsonAndWhisperModelsForTimestamps() {
        OpenAiEngine gpt4o = engine(settings().model("gpt-4o-transcribe"));
        gpt4o.transcribe(chunk);
        assertThat(api.requests().get(0).responseFormat()).isEqualTo("json");
        assertThat(gpt4o.input().timestamps()).isFalse();

        OpenAiEngine whisper = engine(settings());
        Transcript transcript = whisper.transcribe(chunk);
        assertThat(whisper.input().timestamps()).isTrue();
        assertThat(transcript.segments()).isNotEmpty();
        assertThat(transcript.segments().get(0).endSeconds())
                .isGreaterThan(transcript.segments().get(0).startSeconds());
    }

    @Test
    void aBaseUrlGivenWithV1AsTheSdksTakeItIsNotDoubled() {
        engine(settings().baseUrl(api.baseUrl() + "/v1/")).transcribe(chunk);
        assertThat(api.requests().get(0).path()).isEqualTo("/v1/audio/transcriptions");
    }

    @Test
    void waitsAsLongAsRetryAfterAsksBeforeTryingAgain() {
        api.enqueue(Reply.tooManyRequests(Duration.ofSeconds(1)));

        Transcript transcript = engine(settings()).transcribe(chunk);

        assertThat(transcript.text()).startsWith("heard chunk-0.mp3");
        List<RecordedRequest> requests = api.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 200);
        // Our own backoff is 20-40 ms here, so the wait is the API's.
        assertThat(Duration.between(
                        requests.get(0).answeredAt(), requests.get(1).arrivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void serverErrorsAreRetriedUntilTheApiAnswers() {
        api.enqueue(Reply.status(500, "The server had an error"), Reply.status(503, "Overloaded"));

        assertThat(engine(settings()).transcribe(chunk).text()).startsWith("heard");

        assertThat(api.requests()).extracting(RecordedRequest::status).containsExactly(500, 503, 200);
    }

    @Test
    void aCallPastTheTimeLimitIsAbandonedAndTriedAgain() {
        api.enqueue(Reply.slow(Duration.ofSeconds(5)));

        long started = System.nanoTime();
        assertThat(engine(settings().timeLimit(Duration.ofMillis(700)))
                        .transcribe(chunk)
                        .text())
                .startsWith("heard");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The answer came from the second try, long before the first would have answered (the
        // stand-in records a request when it answers, so only the second is in its log yet).
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700)).isLessThan(Duration.ofSeconds(4));
        assertThat(api.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void anApiThatNeverAnswersInTimeFailsTheJobWithThatReason() {
        api.withLatency(Duration.ofSeconds(5));

        assertThatThrownBy(() -> engine(
                                settings().timeLimit(Duration.ofMillis(300)).attempts(2))
                        .transcribe(chunk))
                .isInstanceOf(ReplayableFailure.class)
                .hasMessageContaining("did not answer in time on any of 2 tries");
    }

    @Test
    void aMalformedAnswerIsTriedAgainAndThenReportedPlainly() {
        api.enqueue(Reply.malformed());
        assertThat(engine(settings()).transcribe(chunk).text()).startsWith("heard");
        assertThat(api.requestCount()).isEqualTo(2);

        api.enqueue(Reply.malformed(), Reply.malformed());
        assertThatThrownBy(() -> engine(settings().attempts(2)).transcribe(chunk))
                .isInstanceOf(ReplayableFailure.class)
                .hasMessageContaining("answer could not be read");
    }

    @Test
    void aRefusedKeyIsNotRetriedAndSaysWhatToFix() {
        assertThatThrownBy(() -> engine(settings().key("sk-wrong")).transcribe(chunk))
                .isInstanceOf(ReplayableFailure.class)
                .hasMessageContaining("refused Hark's key (HTTP 401")
                .hasMessageContaining("OPENAI_API_KEY");

        assertThat(api.requestCount()).isEqualTo(1);
    }

    @Test
    void audioTheApiRejectsFailsAtOnceAndForGood() {
        api.enqueue(Reply.status(400, "Audio file might be corrupted or unsupported"));

        assertThatThrownBy(() -> engine(settings()).transcribe(chunk))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("Audio file might be corrupted or unsupported");
        assertThat(api.requestCount()).isEqualTo(1);
    }

    @Test
    void tooLargeIsNotRetriedEither() {
        api.withMaxFileSize(1000);

        assertThatThrownBy(() -> engine(settings()).transcribe(chunk))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("HTTP 413");
        assertThat(api.requestCount()).isEqualTo(1);
    }

    @Test
    void withoutAKeyOpenAiIsNotCalledAndTheJobSaysWhy() {
        var noKey = settings().key("").baseUrl("https://api.openai.com");

        assertThatThrownBy(() -> engine(noKey).transcribe(chunk))
                .isInstanceOf(ReplayableFailure.class)
                .hasMessageContaining("OPENAI_API_KEY is not set");
    }

    @Test
    void anOutageOpensTheCircuitSoLaterChunksStopCallingAndRecoveryClosesIt() {
        api.failAll(503);
        // Four failed calls in a window of four open the circuit; it stays open for a second.
        OpenAiEngine engine = engine(settings().attempts(2).circuit(4, Duration.ofSeconds(1)));

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> engine.transcribe(chunk)).isInstanceOf(ReplayableFailure.class);
        }

        // Without the breaker, four chunks would have made eight calls; after it opened, each
        // later chunk waits for it and sends at most one trial call.
        assertThat(api.requestCount()).isLessThan(8);
        api.recover();
        assertThat(engine.transcribe(chunk).text()).startsWith("heard");
        assertThat(engine.calls().circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theBulkheadCapsCallsInFlightAcrossAllConsumers() throws Exception {
        api.withLatency(Duration.ofMillis(400));
        OpenAiEngine engine = engine(settings().maxConcurrentCalls(2));

        ExecutorService consumers = Executors.newFixedThreadPool(6);
        try {
            List<Future<Transcript>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(consumers.submit(() -> engine.transcribe(chunk)));
            }
            for (Future<Transcript> result : results) {
                assertThat(result.get().text()).startsWith("heard");
            }
        } finally {
            consumers.shutdownNow();
        }
        assertThat(api.requestCount()).isEqualTo(6);
        assertThat(api.peakConcurrency()).isEqualTo(2);
    }

    @Test
    void theRateLimiterHoldsCallsBeyondTheRequestsPerMinute() throws Exception {
        // A call waits for a permit no longer than the time limit: the fourth call of the minute is
        // held that long and then given up, never sent.
        OpenAiEngine engine = engine(settings().requestsPerMinute(3).timeLimit(Duration.ofSeconds(3)));

        ExecutorService consumers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(consumers.submit(() -> engine.transcribe(chunk)));
            }
            int heldBack = 0;
            for (Future<?> call : calls) {
                try {
                    call.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException limited) {
                    heldBack++;
                }
            }
            assertThat(heldBack).isEqualTo(1);
            assertThat(api.requestCount()).isEqualTo(3);
        } finally {
            consumers.shutdownNow();
        }
    }

    private OpenAiEngine engine(Settings settings) {
        return new OpenAiEngine(settings.build());
    }

    private Settings settings() {
        return new Settings(api.baseUrl());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Quick retries and a generous circuit, so that each test sees only the guard it is about. */
    private static final class Settings {
        private String baseUrl;
        private String key = KEY;
        private String model = "whisper-1";
        private Duration timeLimit = Duration.ofSeconds(10);
        private int attempts = 4;
        private int requestsPerMinute = 0;
        private int maxConcurrentCalls = 8;
        private int circuitWindow = 100;
        private Duration openFor = Duration.ofSeconds(1);

        Settings(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Settings baseUrl(String value) {
            baseUrl = value;
            return this;
        }

        Settings key(String value) {
            key = value;
            return this;
        }

        Settings model(String value) {
            model = value;
            return this;
        }

        Settings timeLimit(Duration value) {
            timeLimit = value;
            return this;
        }

        Settings attempts(int value) {
            attempts = value;
            return this;
        }

        Settings requestsPerMinute(int value) {
            requestsPerMinute = value;
            return this;
        }

        Settings maxConcurrentCalls(int value) {
            maxConcurrentCalls = value;
            return this;
        }

        Settings circuit(int window, Duration open) {
            circuitWindow = window;
            openFor = open;
            return this;
        }

        OpenAiProperties build() {
            return new OpenAiProperties(
                    URI.create(baseUrl),
                    key,
                    model,
                    "auto",
                    "en",
                    timeLimit,
                    Duration.ofSeconds(2),
                    requestsPerMinute,
                    maxConcurrentCalls,
                    new OpenAiProperties.Retry(
                            attempts, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5)),
                    new OpenAiProperties.CircuitBreaker(50, circuitWindow, circuitWindow, openFor));
        }
    }
}
