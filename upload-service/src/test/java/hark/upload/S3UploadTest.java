package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.storage.TranscriptTexts;
import hark.schemas.ChunkReady;
import hark.schemas.TimedText;
import hark.schemas.TranscriptAssembled;
import hark.testing.S3Server;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Uploads into a bucket of a real S3 API server (S3Proxy, in this JVM): a recording goes in as a
 * multipart upload once it outgrows one part (8 MB), is served back in ranges, and an upload that
 * is refused or abandoned mid-stream leaves neither an object nor an unfinished multipart upload,
 * which the bucket would otherwise keep, and bill, for good. Nothing lands on the service's own
 * disk but the scratch of an export, removed once sent.
 */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Above one part, so that a refusal for size comes after a multipart upload has begun.
        properties = "hark.upload.max-upload-mb=12")
@AutoConfigureWebTestClient
class S3UploadTest extends StageTest {

    private static final S3Server S3 = S3Server.start();
    private static final String PREFIX = "hark";
    private static final int MB = 1024 * 1024;

    @TestConfiguration(proxyBeanMethods = false)
    static class Keys {
        @Bean
        AwsCredentialsProvider s3Keys() {
            return S3.credentials();
        }
    }

    @DynamicPropertySource
    static void bucket(DynamicPropertyRegistry registry) {
        registry.add("hark.object-storage.location", () -> "s3://" + S3.bucket() + "/" + PREFIX);
        registry.add("hark.object-storage.s3.endpoint", () -> S3.endpoint().toString());
        registry.add("hark.object-storage.s3.path-style", () -> "true");
    }

    @AfterAll
    static void stopServer() {
        S3.close();
    }

    @Autowired
    WebTestClient web;

    /** The service's own, on the bucket. */
    @Autowired
    TranscriptTexts texts;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("bucketeer")))
                // A whole recording read back, to compare.
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * MB))
                .build();
    }

    @Test
    void aRecordingOfTwoPartsIsOneObjectServedInRanges() throws IOException {
        byte[] recording = recording(10 * MB);

        Map<?, ?> node = Uploads.upload(web, streamed("long.wav", recording))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();

        String key = PREFIX + "/originals/" + node.get("transcription_task_id") + ".wav";
        try (S3Client s3 = S3.client()) {
            assertThat(s3.getObjectAsBytes(r -> r.bucket(S3.bucket()).key(key)).asByteArray())
                    .isEqualTo(recording);
        }
        assertThat(S3.unfinishedUploads()).isEmpty();
        assertThat(filesUnder(storage)).as("nothing on this service's disk").isEmpty();

        String audio = "/api/nodes/" + node.get("id") + "/audio";
        web.get()
                .uri(audio)
                .header(HttpHeaders.RANGE, "bytes=0-99")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PARTIAL_CONTENT)
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 0-99/" + recording.length)
                .expectHeader()
                .contentType("audio/wav")
                .expectBody(byte[].class)
                .isEqualTo(Arrays.copyOf(recording, 100));
        // A seek into the second part.
        int from = 9 * MB + 7;
        web.get()
                .uri(audio)
                .header(HttpHeaders.RANGE, "bytes=" + from + "-")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PARTIAL_CONTENT)
                .expectBody(byte[].class)
                .isEqualTo(Arrays.copyOfRange(recording, from, recording.length));
        web.get()
                .uri(audio)
                .header(HttpHeaders.RANGE, "bytes=" + recording.length + "-")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */" + recording.length);
        web.get()
                .uri(audio)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
                .expectHeader()
                .contentLength(recording.length)
                .expectBody(byte[].class)
                .value(bytes -> assertThat(bytes).isEqualTo(recording));
    }

    @Test
    void tooLargeMidStreamIs413AfterItsFirstPartAndLeavesNothing() throws IOException {
        String before = leftovers();

        Uploads.upload(web, streamed("huge.wav", recording(16 * MB)))
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

        assertThat(leftovers()).isEqualTo(before);
    }

    @Test
    void notAudioIs415AndLeavesNothing() {
        String before = leftovers();
        byte[] text = "minutes of the meeting, not the meeting\n".repeat(500).getBytes(StandardCharsets.UTF_8);

        Uploads.upload(web, Uploads.part("minutes.mp3", new ByteArrayResource(text)))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);

        assertThat(leftovers()).isEqualTo(before);
    }

    /** A client gone after a part was sent: the multipart upload it began is aborted, not left behind. */
    @Test
    void aClientThatLeavesMidUploadLeavesNoUnfinishedUpload(@Value("${local.server.port}") int port)
            throws IOException {
        String before = leftovers();
        byte[] recording = recording(11 * MB);
        String boundary = "hark-boundary-3141592653";
        byte[] start = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio_file\";"
                        + " filename=\"left.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        String head = "POST /api/nodes HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + TestTokens.bearer(TestTokens.user("bucketeer"))
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                + (start.length + recording.length + boundary.length() + 8) + "\r\n\r\n";

        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(start);
            out.write(recording, 0, 9 * MB);
            out.flush();
            await().atMost(Duration.ofSeconds(30))
                    .alias("the first part went out as a multipart upload")
                    .until(() -> !S3.unfinishedUploads().isEmpty());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> leftovers().equals(before));
    }

    /** The recording and the chunk texts come from the bucket; the ZIP is built in scratch, then removed. */
    @Test
    void anExportTakesTheRecordingAndTheSubtitlesFromTheBucket() throws IOException {
        WebTestClient exporter = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("exporter")))
                .build();
        byte[] recording = recording(100_000);
        Map<?, ?> node = Uploads.upload(exporter, streamed("note.wav", recording))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        long id = ((Number) node.get("id")).longValue();
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));
        texts.chunk(
                ChunkReady.of(job, id, 0, 1, "work/" + job + "/chunk-00000.wav", 0, 3),
                "words from the bucket",
                "sphinx",
                List.of(new TimedText(0.5, 2.0, "words from the bucket")),
                "en");
        probe.send(
                TranscriptAssembled.of(job, id, texts.transcript(id, job, "words from the bucket"), 1, "sphinx", null));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "words from the bucket"
                        .equals(exporter.get()
                                .uri("/api/nodes/{id}", id)
                                .exchange()
                                .expectBody(Map.class)
                                .returnResult()
                                .getResponseBody()
                                .get("content")));

        byte[] zip = exporter.get()
                .uri("/api/auth/me/export")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();

        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        assertThat(entries.get("notes/" + id + "/recording.wav")).isEqualTo(recording);
        assertThat(new String(entries.get("notes/" + id + "/subtitles.srt"), StandardCharsets.UTF_8))
                .contains("words from the bucket");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(filesUnder(storage))
                        .as("the export's scratch")
                        .isEmpty());
    }

    /** Nodes and outbox ids drawn, the originals in the bucket, and its unfinished uploads. */
    private String leftovers() {
        List<String> originals;
        try (S3Client s3 = S3.client()) {
            originals =
                    s3
                            .listObjectsV2Paginator(r -> r.bucket(S3.bucket()).prefix(PREFIX + "/originals/"))
                            .contents()
                            .stream()
                            .map(S3Object::key)
                            .sorted()
                            .toList();
        }
        List<String> unfinished = S3.unfinishedUploads().stream()
                .map(upload -> upload.key())
                .sorted()
                .toList();
        return Leftovers.database(DB) + ", originals " + originals + ", unfinished uploads " + unfinished;
    }

    /** A real WAV's head (so it is taken as audio), then bytes that differ from part to part. */
    private static byte[] recording(int size) throws IOException {
        Path dir = Files.createTempDirectory("s3-upload");
        try {
            byte[] wav = Files.readAllBytes(TestAudio.toneWav(dir.resolve("tone.wav"), 1, 8000));
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (i % 251);
            }
            System.arraycopy(wav, 0, bytes, 0, Math.min(wav.length, size));
            return bytes;
        } finally {
            hark.platform.storage.Storage.deleteTree(dir);
        }
    }

    /** Sent as a stream of unknown length, so the size limit holds on the bytes themselves. */
    private static MultipartBodyBuilder streamed(String filename, byte[] content) {
        int piece = 64 * 1024;
        Flux<DataBuffer> stream = Flux.range(0, (content.length + piece - 1) / piece)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                        Arrays.copyOfRange(content, i * piece, Math.min(content.length, (i + 1) * piece))));
        var form = new MultipartBodyBuilder();
        form.asyncPart("audio_file", stream, DataBuffer.class)
                .filename(filename)
                .contentType(MediaType.parseMediaType("audio/wav"));
        return form;
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
