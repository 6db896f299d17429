package hark.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local stand-in for OpenAI's {@code POST /v1/audio/transcriptions}, for tests and
 * benchmarks: it checks requests as the real API does, records them, answers with a made-up
 * transcript and can be scripted to fail. Each request runs on its own pooled thread, so a slow
 * answer never holds up another and many clients can be served at once.
 *
 * <p>Order of decisions for a request: wrong path (404) or method (405); outage set by
 * {@link #failAll}; bad or missing key (401); form problems (400, or 413 for a too-large file);
 * the next {@linkplain #enqueue scripted reply}; the default transcript. So a scripted reply is
 * only spent on a request the real API would have accepted.
 */
public final class FakeTranscriptionApi implements AutoCloseable {

    public static final String PATH = "/v1/audio/transcriptions";
    /** OpenAI's limit on an upload. */
    public static final long DEFAULT_MAX_FILE_BYTES = 25L * 1024 * 1024;

    private final String apiKey;
    private final HttpServer server;
    private final ExecutorService pool;

    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final Queue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    private volatile Reply outage;
    private volatile Duration latency = Duration.ZERO;
    private volatile long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private volatile Function<Upload, String> transcriber =
            upload -> "heard " + upload.fileName() + " (" + upload.fileSize() + " bytes)";

    static {
        // The JDK server leaves Nagle on and writes an answer as headers, then body: on a reused
        // connection the body waited ~40 ms for the client's delayed ACK, time that would be
        // charged to Hark. Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private FakeTranscriptionApi(String apiKey) throws IOException {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        // A generous backlog: a benchmark may open hundreds of connections in one burst.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
        this.pool = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on a free port of 127.0.0.1 that accepts {@code Authorization: Bearer <apiKey>}. */
    public static FakeTranscriptionApi start(String apiKey) {
        try {
            return new FakeTranscriptionApi(apiKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the fake transcription API", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}; POST to this plus {@link #PATH}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
        this.latency = latency;
        return this;
    }

    /** Makes up the transcript of an accepted upload; the default says "heard <file name> (<n> bytes)". */
    public FakeTranscriptionApi withTranscriber(Function<Upload, String> transcriber) {
        this.transcriber = Objects.requireNonNull(transcriber);
        return this;
    }

    /** Uploads larger than this get 413; the default is OpenAI's 25 MB. */
    public FakeTranscriptionApi withMaxFileSize(long bytes) {
        this.maxFileBytes = bytes;
        return this;
    }

    /** Queues answers for the next accepted requests, one each, in order, before the default answer. */
    public FakeTranscriptionApi enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Scripted replies not yet used. */
    public int pendingReplies() {
        return script.size();
    }

    /** An outage: every request gets this status (with OpenAI's error JSON) until {@link #recover()}. */
    public FakeTranscriptionApi failAll(int status) {
        return failAll(Reply.status(status, status == 503 ? "The engine is currently overloaded, please try again later"
                : "The server had an error while processing your request"));
    }

    /** An outage answering every request with {@code reply} (say a 429 with Retry-After) until {@link #recover()}. */
    public FakeTranscriptionApi failAll(Reply reply) {
        if (reply.needsUpload()) {
            throw new IllegalArgumentException("An outage answers even unreadable requests, so it cannot be a "
                    + "transcript: " + reply);
        }
        this.outage = reply;
        return this;
    }

    /** Ends an outage started by {@link #failAll}. */
    public FakeTranscriptionApi recover() {
        this.outage = null;
        return this;
    }

    /** Every request so far, in order of arrival; a copy. */
    public List<RecordedRequest> requests() {
        List<RecordedRequest> copy = new ArrayList<>(recorded);
        copy.sort(Comparator.comparingLong(RecordedRequest::sequence));
        return copy;
    }

    /** How many requests have been answered (and recorded). */
    public int requestCount() {
        return recorded.size();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were being handled at the same moment. */
    public int peakConcurrency() {
        return peak.get();
    }

    /** Forgets requests, peak concurrency, scripted replies and any outage; keeps latency and transcriber. */
    public void reset() {
        script.clear();
        recorded.clear();
        outage = null;
        peak.set(inFlight.get());
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow(); // interrupts requests still waiting out a delay
    }

    private void handle(HttpExchange exchange) {
        Instant arrivedAt = Instant.now();
        long number = sequence.getAndIncrement();
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        boolean counted = true;
        try {
            Incoming incoming = Incoming.read(exchange, number, arrivedAt);
            Answer answer = decide(incoming);
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
            // Recorded before the answer goes out, so a client that has its response sees the record.
            recorded.add(incoming.record(answer.status(), Instant.now()));
            // Likewise no longer in flight, so a client holding every response sees inFlight() == 0.
            inFlight.decrementAndGet();
            counted = false;
            send(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: leave without answering
        } catch (IOException e) {
            // The client went away mid-request; nothing to answer.
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    private Answer decide(Incoming in) {
        if (!in.path().equals(PATH)) {
            return Answer.error(404, "Invalid URL (" + in.method() + " " + in.path() + ")", null, null);
        }
        if (!in.method().equals("POST")) {
            return Answer.error(405, "Method not allowed: " + in.method() + " " + in.path(), null, null)
                    .withHeader("Allow", "POST");
        }
        Reply down = outage;
        if (down != null) {
            return down.answer(null, transcriber, latency);
        }
        if (!("Bearer " + apiKey).equals(in.authorization())) {
            return Answer.error(401, "Incorrect API key provided", null, "invalid_api_key");
        }
        if (in.form() == null) {
            return UploadCheck.invalid(in.formError(), null);
        }
        Answer problem = UploadCheck.problem(in.form(), maxFileBytes);
        if (problem != null) {
            return problem;
        }
        Reply next = script.poll();
        try {
            return (next != null ? next : Reply.DEFAULT).answer(in.upload(), transcriber, latency);
        } catch (RuntimeException e) {
            return Answer.error(500, "The fake's transcriber failed: " + e, null, null);
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "fake-transcription-api-" + count.incrementAndGet());
            thread.setDaemon(true); // never keeps a test JVM alive
            return thread;
        };
    }
}
