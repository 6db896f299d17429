package hark.upload.audio;

import hark.platform.storage.Storage;
import hark.upload.UploadProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Many multipart uploads at once into {@link AudioReceiver} over a real Reactor Netty server and
 * Spring's multipart reader, with nothing else of Hark around them, so that a fault in how the
 * request body's buffers are owned shows within seconds instead of once in a 50-upload load test.
 * Every stored file is compared byte for byte with what was sent: a buffer used after it was freed
 * shows as a 500 (refCnt: 0) or, when its memory was already reused, as wrong content.
 *
 * <p>Slow (minutes), so it runs only when asked:
 * {@code mvn -B -q -pl upload-service -am test -Dtest=ConcurrentUploadStressTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dstress.rounds=10} (also {@code stress.uploads},
 * {@code stress.maxBytes}, {@code stress.boundary}, {@code stress.piece}).
 */
@EnabledIfSystemProperty(named = "stress.rounds", matches = "\\d+")
class ConcurrentUploadStressTest {

    private static final int ROUNDS = Integer.getInteger("stress.rounds", 1);
    private static final int UPLOADS = Integer.getInteger("stress.uploads", 50);
    private static final int MAX_BYTES = Integer.getInteger("stress.maxBytes", 6_000_000);
    private static final int BOUNDARY_LENGTH = Integer.getInteger("stress.boundary", 60);
    /** How the client hands the body to its socket; small pieces make many small TCP reads. */
    private static final int PIECE = Integer.getInteger("stress.piece", 8192);

    @TempDir
    Path root;

    @Test
    void everyUploadIsStoredWhole() throws Exception {
        Storage storage = new Storage(root);
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
            return receiver.receive(reader.read(ResolvableType.forClass(PartEvent.class), request, Map.of()))
                    .flatMap(upload -> Mono.fromCallable(() -> {
                        byte[] stored = Files.readAllBytes(upload.file());
                        Files.delete(upload.file());
                        if (!Arrays.equals(stored, recording(index))) {
                            failures.put("upload " + index, "stored content differs from what was sent");
                            return HttpStatus.CONFLICT;
                        }
                        return HttpStatus.CREATED;
                    }))
                    .onErrorResume(e -> {
                        failures.put("upload " + index, e.toString());
                        return Mono.just(HttpStatus.INTERNAL_SERVER_ERROR);
                    })
                    .flatMap(status -> {
                        response.setStatusCode(status);
                        return response.setComplete();
                    });
        };
        DisposableServer server = HttpServer.create().port(0).handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
            server.disposeNow();
        }
        System.out.printf("STRESS uploads=%d failed=%d boundary=%d piece=%d maxBytes=%d %s%n", sent.get(),
                failed.get(), BOUNDARY_LENGTH, PIECE, MAX_BYTES, failures);
        assertThat(failures).isEmpty();
    }

    private static HttpRequest request(int port, int index) {
        String boundary = ("b" + index + "-").repeat(BOUNDARY_LENGTH).substring(0, BOUNDARY_LENGTH);
        byte[] before = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"node_type\"\r\n\r\nnote\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio_file\"; filename=\"u"
                + index + ".wav\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(before);
        body.writeBytes(recording(index));
        body.writeBytes(after);
        byte[] bytes = body.toByteArray();
        Iterable<byte[]> pieces = () -> new Iterator<>() {
            int at;

            @Override
            public boolean hasNext() {
                return at < bytes.length;
            }

            @Override
            public byte[] next() {
                int end = Math.min(bytes.length, at + PIECE);
                byte[] piece = Arrays.copyOfRange(bytes, at, end);
                at = end;
                return piece;
            }
        };
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("X-Index", Integer.toString(index))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(pieces),
                        bytes.length))
                .build();
    }

    /** A WAV of a size set by its index: a header, then tone and silence in turns (as real speech has pauses). */
    static byte[] recording(int index) {
        int data = (int) (100_000 + (long) index * 7_919_993 % Math.max(1, MAX_BYTES - 100_000)) & ~1;
        ByteBuffer wav = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        for (int i = 0; i < data / 2; i++) {
            boolean tone = (i / 16_000) % 2 == 0;
            wav.putShort(tone ? (short) (8000 * Math.sin(i * 2 * Math.PI * 440 / 16_000)) : 0);
        }
        return wav.array();
    }
}
