package hark.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A local stand-in for OpenAI's {@code POST /v1/audio/transcriptions}, for tests and benchmarks:
 * a WireMock server that checks requests as the real API does, records them, answers with a
 * made-up transcript and can be scripted to fail. Each request is served on its own thread, so a
 * slow answer never holds up another and many clients can be served at once.
 *
 * <p>Order of decisions for a request, as WireMock stub priorities: an outage set by
 * {@link #failAll}; with the right key, form problems (400, or 413 for a too-large file), then
 * the next {@linkplain #enqueue scripted reply}, then the default transcript; a bad or missing key
 * (401); another method on the path (405); any other path (404). So a scripted reply is only spent
 * on a request the real API would have accepted.
 *
 * <p>WireMock parses a multipart body before any stub or extension sees the request, so a body
 * that says it is multipart but cannot be parsed gets Jetty's 500 page and is not recorded (the
 * real API would answer 400). Hark's client never sends one; no test needs that answer.
 */
public final class FakeTranscriptionApi implements AutoCloseable {

    public static final String PATH = "/v1/audio/transcriptions";
    /** OpenAI's limit on an upload. */
    public static final long DEFAULT_MAX_FILE_BYTES = 25L * 1024 * 1024;

    private static final int OUTAGE = 1;
    private static final int AUTHORISED = 2;
    private static final int WRONG_KEY = 3;
    private static final int WRONG_METHOD = 4;
    private static final int ELSEWHERE = 5;
    /** Each request waits out its delay on a server thread; a benchmark may send hundreds at once. */
    private static final int SERVER_THREADS = 512;

    private final String apiKey;
    private final RequestRecorder recorder = new RequestRecorder();
    private final TranscriptionAnswers answers = new TranscriptionAnswers(recorder);
    private final WireMockServer server;
    private StubMapping outage; // guarded by this

    private FakeTranscriptionApi(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // HTTP/1.1 only, as the API's clients are measured against: no h2c upgrade.
                .http2PlainDisabled(true)
                .containerThreads(SERVER_THREADS)
                .jettyAcceptQueueSize(SERVER_THREADS)
                .disableRequestJournal() // see RequestRecorder
                .stubRequestLoggingDisabled(true) // it would copy every upload into a log string
                .extensions(recorder, answers, new AnswerWhenDue()));
        server.start();
        server.stubFor(any(anyUrl())
                .atPriority(ELSEWHERE)
                .willReturn(ApiBodies.error(404, "Invalid URL ({{request.method}} {{request.path}})", null, null)
                        .withTransformers("response-template")));
        server.stubFor(any(urlPathEqualTo(PATH))
                .atPriority(WRONG_METHOD)
                .willReturn(ApiBodies.error(405, "Method not allowed: {{request.method}} " + PATH, null, null)
                        .withHeader("Allow", "POST")
                        .withTransformers("response-template")));
        server.stubFor(post(urlPathEqualTo(PATH))
                .atPriority(WRONG_KEY)
                .willReturn(ApiBodies.error(401, "Incorrect API key provided", null, "invalid_api_key")));
        server.stubFor(post(urlPathEqualTo(PATH))
                .atPriority(AUTHORISED)
                .withHeader("Authorization", equalTo("Bearer " + apiKey))
                .willReturn(aResponse().withTransformers(TranscriptionAnswers.NAME)));
    }

    /** Starts a fake on a free port of 127.0.0.1 that accepts {@code Authorization: Bearer <apiKey>}. */
    public static FakeTranscriptionApi start(String apiKey) {
        return new FakeTranscriptionApi(apiKey);
    }

    /** {@code http://127.0.0.1:<port>}; POST to this plus {@link #PATH}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** {@link #baseUrl()} plus {@link #PATH}. */
    public String transcriptionsUrl() {
        return baseUrl() + PATH;
    }

    public String apiKey() {
        return apiKey;
    }

    /** How long every 200 answer waits before it is sent (scripted {@link Reply#slow} excepted). */
    public FakeTranscriptionApi withLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("Latency cannot be negative: " + latency);
        }
        answers.latency(latency);
        return this;
    }

    /** Makes up the transcript of an accepted upload; the default says "heard <file name> (<n> bytes)". */
    public FakeTranscriptionApi withTranscriber(Function<Upload, String> transcriber) {
        answers.transcriber(transcriber);
        return this;
    }

    /** Uploads larger than this get 413; the default is OpenAI's 25 MB. */
    public FakeTranscriptionApi withMaxFileSize(long bytes) {
        answers.maxFileBytes(bytes);
        return this;
    }

    /** Queues answers for the next accepted requests, one each, in order, before the default answer. */
    public FakeTranscriptionApi enqueue(Reply... replies) {
        answers.enqueue(List.of(replies));
        return this;
    }

    /** Scripted replies not yet used. */
    public int pendingReplies() {
        return answers.pendingReplies();
    }

    /** An outage: every request gets this status (with OpenAI's error JSON) until {@link #recover()}. */
    public FakeTranscriptionApi failAll(int status) {
        return failAll(Reply.status(
                status,
                status == 503
                        ? "The engine is currently overloaded, please try again later"
                        : "The server had an error while processing your request"));
    }

    /**
     * An outage answering every POST to the path with {@code reply} (say a 429 with Retry-After)
     * until {@link #recover()}; a {@link Reply#malformed()} one waits the latency set at this call.
     */
    public synchronized FakeTranscriptionApi failAll(Reply reply) {
        if (reply.needsUpload()) {
            throw new IllegalArgumentException(
                    "An outage answers even unreadable requests, so it cannot be a " + "transcript: " + reply);
        }
        recover();
        outage = server.stubFor(
                post(urlPathEqualTo(PATH)).atPriority(OUTAGE).willReturn(reply.answer(null, null, answers.latency())));
        return this;
    }

    /** Ends an outage started by {@link #failAll}. */
    public synchronized FakeTranscriptionApi recover() {
        if (outage != null) {
            server.removeStub(outage);
            outage = null;
        }
        return this;
    }

    /** Every request answered so far, in order of arrival; a copy. */
    public List<RecordedRequest> requests() {
        return recorder.requests();
    }

    /** How many requests have been answered (and recorded). */
    public int requestCount() {
        return recorder.requestCount();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return recorder.inFlight();
    }

    /** The most requests that were being handled at the same moment. */
    public int peakConcurrency() {
        return recorder.peakConcurrency();
    }

    /** Forgets requests, peak concurrency, scripted replies and any outage; keeps latency and transcriber. */
    public void reset() {
        answers.clearScript();
        recorder.reset();
        recover();
    }

    @Override
    public void close() {
        server.stop(); // interrupts requests still waiting out a delay
    }
}
