package hark.testing;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers the requests as they arrive, counts those being answered, and keeps a small record of
 * each answered one.
 *
 * <p>Not WireMock's request journal: that keeps every request whole, and a load test or benchmark
 * sends hundreds of MB of audio through the stand-in inside the same heap as Hark. A record keeps
 * only the size, a digest and the first bytes of the upload.
 */
final class RequestRecorder implements ServeEventListener {

    private record Arrival(long sequence, Instant at) {}

    private final Map<UUID, Arrival> arrivals = new ConcurrentHashMap<>();
    private final Queue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public String getName() {
        return "hark-request-recorder";
    }

    @Override
    public void beforeMatch(ServeEvent event, Parameters parameters) {
        arrivals.put(event.getId(), new Arrival(sequence.getAndIncrement(), Instant.now()));
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    /**
     * Called once the answer is due (see {@link AnswerWhenDue}) and before it is written: a client
     * that has its response sees the record, and a client holding every response sees no request
     * in flight.
     */
    @Override
    public void beforeResponseSent(ServeEvent event, Parameters parameters) {
        Arrival arrival = arrivals.remove(event.getId());
        if (arrival == null) {
            return;
        }
        // Interrupted while waiting out its delay: the stand-in is closing and WireMock sends nothing.
        if (!Thread.currentThread().isInterrupted()) {
            recorded.add(record(event, arrival, Instant.now()));
        }
        inFlight.decrementAndGet();
    }

    /** The arrival number of a request being answered. */
    long sequenceOf(ServeEvent event) {
        Arrival arrival = arrivals.get(event.getId());
        return arrival == null ? -1 : arrival.sequence();
    }

    List<RecordedRequest> requests() {
        List<RecordedRequest> copy = new ArrayList<>(recorded);
        copy.sort(Comparator.comparingLong(RecordedRequest::sequence));
        return copy;
    }

    int requestCount() {
        return recorded.size();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peakConcurrency() {
        return peak.get();
    }

    void reset() {
        recorded.clear();
        peak.set(inFlight.get());
    }

    private static RecordedRequest record(ServeEvent event, Arrival arrival, Instant answeredAt) {
        Request request = event.getRequest();
        FormParts form = FormParts.of(request);
        Request.Part file = form.file();
        byte[] data = file == null ? null : FormParts.bytes(file);
        String url = request.getUrl();
        int query = url.indexOf('?');
        return new RecordedRequest(
                arrival.sequence(),
                request.getMethod().getName(),
                query < 0 ? url : url.substring(0, query),
                request.getHeader("Authorization"),
                form.fields(),
                file == null ? null : file.getFileName(),
                data == null ? -1 : data.length,
                data == null ? null : sha256(data),
                data == null ? new byte[0] : Arrays.copyOf(data, Math.min(data.length, RecordedRequest.HEAD_BYTES)),
                event.getResponse().getStatus(),
                arrival.at(),
                answeredAt);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
