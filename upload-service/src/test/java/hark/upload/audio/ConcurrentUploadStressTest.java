package hark.upload.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import hark.platform.storage.Disk;
import hark.platform.storage.Storage;
import hark.platform.storage.objects.LocalObjectStore;
import hark.upload.UploadProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Many multipart uploads at once into {@link AudioReceiver} over a real Reactor Netty server and
 * Spring's multipart reader, with nothing else of Hark around them, so that a fault in how the
 * request body's buffers are owned shows within seconds instead of once in a 50-upload load test.
 * Every stored file is compared byte for byte with what was sent: a buffer used after it was freed
 * shows as a 500 (refCnt: 0) or, when its memory was already reused, as wrong content.
 *
 * <p>Slow (minutes), so it runs only when asked:
 * {@code mvn -B -q -pl upload-service -am test -Dtest=ConcurrentUploadStressTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dstress.rounds=30 -Dstress.burners=2} (rounds of 50
 * uploads of 1-28 MB; also {@code stress.uploads}, {@code stress.maxBytes}, {@code stress.boundary},
 * {@code stress.piece}). {@code -Dstress.direct=true} reads the parts as Hark did before
 * {@link EventLoopDemand}, to see the failure it fixes.
 */
@EnabledIfSystemProperty(named = "stress.rounds", matches = "\\d+")
class ConcurrentUploadStressTest {

    private static final int ROUNDS = Integer.getInteger("stress.rounds", 1);
    private static final int UPLOADS = Integer.getInteger("stress.uploads", 50);
    private static final int MAX_BYTES = Integer.getInteger("stress.maxBytes", 28_000_000);
    private static final int BOUNDARY_LENGTH = Integer.getInteger("stress.boundary", 60);
    /** How the client hands the body to its socket; small pieces make many small TCP reads. */
    private static final int PIECE = Integer.getInteger("stress.piece", 8192);

    /**
     * Threads that only spin, so that the server's threads are preempted often, as on a loaded
     * machine: a preempted thread holds a race window open for milliseconds instead of nanoseconds.
     */
    private static final int BURNERS = Integer.getInteger("stress.burners", 0);
    /** Demand from whichever thread asks, as before {@link EventLoopDemand}: to see the failure. */
    private static final boolean DIRECT = Boolean.getBoolean("stress.direct");

    @TempDir
    Path root;

    @Test
    void everyUploadIsStoredWhole() throws Exception {
        Storage storage = new Storage(new LocalObjectStore(root), root.resolve("scratch"));
        UploadProperties props = mock(UploadProperties.class);
        when(props.maxUploadBytes()).thenReturn(1L << 30);
        when(props.maxUploadMb()).thenReturn(1024L);
        when(props.extensions()).thenReturn(List.of("wav"));
        when(props.accepts(anyString())).thenReturn(true);
        AudioReceiver receiver = new AudioReceiver(storage, props);
        PartEventHttpMessageReader reader = new PartEventHttpMessageReader();
        Map<String, String> failures = new ConcurrentHashMap<>();

        HttpHandler handler = (request, response) -> {
            int index = Integer.parseInt(request.getHeaders().getFirst("X-Index"));
            Flux<PartEvent> parts = reader.read(ResolvableType.forClass(PartEvent.class), request, Map.of());
            // As NodeController reads them; -Dstress.direct=true reads them as it did before the fix.
            return receiver.receive(DIRECT ? parts : EventLoopDemand.of(request, parts))
                    .flatMap(upload -> Disk.call(() -> {
                        upload.commit();
                        Path stored = root.resolve(upload.key());
                        boolean whole = storedWhole(index, stored);
                        Files.delete(stored);
                        if (!whole) {
                            failures.put("upload " + index, "stored content differs from what was sent");
                            return HttpStatus.CONFLICT;
                        }
                        return HttpStatus.CREATED;
                    }))
                    .onErrorResume(e -> {
                        failures.put("upload " + index + " of " + fileBytes(index) + " bytes", e.toString());
                        e.printStackTrace(System.out); // rare: the whole trace says where it came from
                        return Mono.just(HttpStatus.INTERNAL_SERVER_ERROR);
                    })
                    .flatMap(status -> {
                        response.setStatusCode(status);
                        return response.setComplete();
                    });
        };
        DisposableServer server = HttpServer.create()
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow();
        AtomicBoolean burning = new AtomicBoolean(true);
        for (int i = 0; i < BURNERS; i++) {
            Thread burner = new Thread(
                    () -> {
                        long spins = 0;
                        while (burning.get()) {
                            spins++;
                        }
                        if (spins == 42) {
                            System.out.println("never");
                        }
                    },
                    "burner-" + i);
            burner.setDaemon(true);
            burner.start();
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int round = 0; round < ROUNDS; round++) {
                ExecutorService senders = Executors.newFixedThreadPool(UPLOADS);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < UPLOADS; i++) {
                    int index = round * UPLOADS + i;
                    answers.add(senders.submit(() -> {
                        go.await();
                        return http.send(request(server.port(), index), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    }));
                }
                go.countDown();
                for (Future<Integer> answer : answers) {
                    sent.incrementAndGet();
                    if (answer.get() != 201) {
                        failed.incrementAndGet();
                    }
                }
                senders.shutdown();
            }
        } finally {
            burning.set(false);
            server.disposeNow();
        }
        System.out.printf(
                "STRESS direct=%s uploads=%d failed=%d boundary=%d piece=%d maxBytes=%d burners=%d %s%n",
                DIRECT, sent.get(), failed.get(), BOUNDARY_LENGTH, PIECE, MAX_BYTES, BURNERS, failures);
        assertThat(failures).isEmpty();
    }

    private static HttpRequest request(int port, int index) {
        String boundary = ("b" + index + "-").repeat(BOUNDARY_LENGTH).substring(0, BOUNDARY_LENGTH);
        byte[] before = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"node_type\"\r\n\r\nnote\r\n"
                        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio_file\"; filename=\"u"
                        + index + ".wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long fileBytes = fileBytes(index);
        Iterable<byte[]> pieces = () -> new Iterator<>() {
            long at = -1; // -1: the part's head; fileBytes: the closing boundary

            @Override
            public boolean hasNext() {
                return at <= fileBytes;
            }

            @Override
            public byte[] next() {
                if (at < 0) {
                    at = 0;
                    return before;
                }
                if (at == fileBytes) {
                    at++;
                    return after;
                }
                int n = (int) Math.min(PIECE, fileBytes - at);
                byte[] piece = new byte[n];
                fill(index, at, piece, n);
                at += n;
                return piece;
            }
        };
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("X-Index", Integer.toString(index))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArrays(pieces), before.length + fileBytes + after.length))
                .build();
    }

    /** Sizes spread evenly from 1 MB to {@code stress.maxBytes}, as in the load test. */
    static long fileBytes(int index) {
        return (1_000_000 + (long) (index % UPLOADS) * (MAX_BYTES - 1_000_000) / Math.max(1, UPLOADS - 1)) & ~1L;
    }

    /** The bytes of upload {@code index} from {@code at}: a WAV header, then tone and silence in turns. */
    static void fill(int index, long at, byte[] into, int length) {
        for (int i = 0; i < length; i++) {
            long p = at + i;
            into[i] = p < HEADER.length
                    ? HEADER[(int) p]
                    : CYCLE[(int) ((p - HEADER.length + index * 2L) % CYCLE.length)];
        }
    }

    static boolean storedWhole(int index, Path file) throws IOException {
        long size = fileBytes(index);
        if (Files.size(file) != size) {
            return false;
        }
        byte[] expected = new byte[1 << 16];
        byte[] actual = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (long at = 0; at < size; at += expected.length) {
                int n = (int) Math.min(expected.length, size - at);
                fill(index, at, expected, n);
                if (in.readNBytes(actual, 0, n) != n || !Arrays.equals(expected, 0, n, actual, 0, n)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final byte[] HEADER = header();
    /** Two seconds of 16 kHz 16-bit mono: a second of tone, a second of silence. */
    private static final byte[] CYCLE = cycle();

    private static byte[] header() {
        ByteBuffer wav = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(-1)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(16_000)
                .putInt(32_000)
                .putShort((short) 2)
                .putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(-1);
        return wav.array();
    }

    private static byte[] cycle() {
        ByteBuffer pcm = ByteBuffer.allocate(64_000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 32_000; i++) {
            pcm.putShort(i < 16_000 ? (short) (8000 * Math.sin(i * 2 * Math.PI * 440 / 16_000)) : 0);
        }
        return pcm.array();
    }
}
