package hark.standalone.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.testing.S3Server;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The recovery scenarios with {@code HARK_STORAGE=s3://…} on a real S3 API server (S3Proxy, in this
 * JVM): the replay finds its chunks in the bucket, a cancel and a failure remove them there. And
 * what only a bucket allows: a second upload-service on a "host" of its own (a separate JVM with its
 * own data folder, configured only through its environment, sharing nothing with the rest of Hark
 * but Kafka, PostgreSQL and the bucket), its heap held to 96 MB so that a 500 MB upload held in
 * memory anywhere would end it.
 */
class BucketRecoveryTest extends RecoveryScenarios {

    private static final String PREFIX = "hark";
    private static final long BIG_UPLOAD_BYTES = 500L * 1024 * 1024;
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private S3Server s3;
    private S3Client bucket;
    private Process uploadHost;
    private Path uploadHostData;
    private WebClient uploads;

    /** Starts the server on first use: the scenarios' start asks for the settings first thing. */
    @Override
    Map<String, String> variantSettings() {
        if (s3 == null) {
            s3 = S3Server.start();
            bucket = s3.client();
        }
        Map<String, String> settings = new HashMap<>(s3.environment(PREFIX));
        // The AWS SDK's default chain reads these system properties (a service reads the environment).
        settings.put("aws.accessKeyId", S3Server.ACCESS_KEY);
        settings.put("aws.secretAccessKey", S3Server.SECRET_KEY);
        // The original design's limit: the 500 MB upload (4.5 hours) is refused by prep at once,
        // rather than converted for minutes while other tests run.
        settings.put("hark.prep.max-duration-seconds", "1500");
        return settings;
    }

    @BeforeAll
    void startUploadHost() throws Exception {
        uploadHostData = Files.createDirectories(data.resolve("upload-host"));
        int port = freePort();
        uploadHost = forkUploadService(port);
        uploads = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", "Bearer " + owner.token())
                .build();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> uploadHost.isAlive()
                        && "UP"
                                .equals(uploads.get()
                                        .uri("/actuator/health")
                                        .retrieve()
                                        .bodyToMono(JSON)
                                        .block(Duration.ofSeconds(5))
                                        .get("status")));
    }

    @AfterAll
    void stopUploadHost() {
        if (uploadHost != null) {
            uploadHost.destroyForcibly();
        }
    }

    @Override
    void afterHark() {
        bucket.close();
        s3.close();
    }

    @Override
    boolean workLeft(UUID job) {
        return !objects("work/" + job + "/").isEmpty();
    }

    @Test
    void aCompletedJobIsInTheBucketAndNothingOfItOnThisProcesssDisk() throws IOException {
        long node = owner.upload(recording);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        UUID job = owner.job(node);

        assertThat(objects("originals/" + job)).hasSize(1);
        assertThat(objects("texts/" + node + "/" + job + "/"))
                .extracting(S3Object::key)
                .anyMatch(key -> key.endsWith("/transcript.txt"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !workLeft(job));
        assertThat(filesIn(data.resolve("storage")))
                .as("the stages' scratch is cleared after each job")
                .isEmpty();
        web.get()
                .uri("/api/nodes/{id}/audio", node)
                .header("Range", "bytes=0-11")
                .exchange()
                .expectStatus()
                .isEqualTo(206)
                .expectBody(byte[].class)
                .value(head -> assertThat(new String(head, 0, 4, StandardCharsets.US_ASCII))
                        .isEqualTo("RIFF"));
    }

    @Test
    void anErasedNoteLeavesNoObjectInTheBucket() {
        long node = owner.upload(recording);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        UUID job = owner.job(node);
        assertThat(objects("texts/" + node + "/")).isNotEmpty();

        web.delete().uri("/api/nodes/{id}", node).exchange().expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(objects("originals/" + job)).isEmpty());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(objects("texts/" + node + "/")).isEmpty());
        assertThat(objects("work/" + job + "/")).isEmpty();
    }

    @Test
    void aJobTheEngineRejectsLeavesNoWorkInTheBucket() {
        api.failAll(400);
        long node = owner.upload(recording);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "failed");
        UUID job = owner.job(node);
        awaitSettled();
        await().atMost(Duration.ofSeconds(30)).until(() -> !workLeft(job));
        assertThat(objects("originals/" + job))
                .as("the recording stays, to retry")
                .hasSize(1);
        assertThat(s3.unfinishedUploads()).isEmpty();
    }

    @Test
    void anUploadToAnotherHostIsTranscribedHereThroughTheBucketAlone() throws IOException {
        Path clip = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(clip));

        long node = upload(form, Duration.ofSeconds(30));

        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        assertThat(filesIn(uploadHostData.resolve("storage")))
                .as("the upload host keeps nothing on its disk")
                .isEmpty();
    }

    @Test
    void fiveHundredMegabytesStreamIntoAMultipartUploadThroughA96MbHeap() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.asyncPart("audio_file", silentWav(BIG_UPLOAD_BYTES), DataBuffer.class)
                .filename("long.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));

        long node = upload(form, Duration.ofMinutes(5));

        assertThat(uploadHost.isAlive()).as("the upload host, after 500 MB").isTrue();
        UUID job = owner.job(node);
        HeadObjectResponse stored =
                bucket.headObject(r -> r.bucket(s3.bucket()).key(PREFIX + "/originals/" + job + ".wav"));
        assertThat(stored.contentLength()).isEqualTo(BIG_UPLOAD_BYTES);
        assertThat(stored.eTag())
                .as("a multipart upload's ETag ends in its part count")
                .matches("\"?[0-9a-f]+-\\d+\"?");
        assertThat(s3.unfinishedUploads()).isEmpty();
        Map<String, Object> refused = owner.awaitEnd(node, Duration.ofMinutes(2));
        assertThat(refused).containsEntry("status", "failed");
        assertThat((String) refused.get("error")).contains("Hark takes recordings of up to 25 min");
    }

    private long upload(MultipartBodyBuilder form, Duration within) {
        Map<String, Object> created = uploads.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .retrieve()
                .bodyToMono(JSON)
                .block(within);
        return ((Number) created.get("id")).longValue();
    }

    /** A WAV header for {@code bytes} in all, then silence, made as it is sent: never in memory. */
    private static Flux<DataBuffer> silentWav(long bytes) {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put(ascii("RIFF")).putInt((int) (bytes - 8)).put(ascii("WAVEfmt "));
        header.putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000);
        header.putShort((short) 2).putShort((short) 16).put(ascii("data")).putInt((int) (bytes - 44));
        int piece = 64 * 1024;
        long pieces = (bytes - 44) / piece;
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        return Flux.concat(
                Flux.just(buffers.wrap(header.array())),
                Flux.range(0, (int) pieces).map(i -> buffers.wrap(new byte[piece])),
                Flux.just(buffers.wrap(new byte[(int) ((bytes - 44) % piece)])));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** upload-service alone, as another host runs it: configured only through its environment. */
    private Process forkUploadService(int port) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx96m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                "hark.upload.UploadServiceApplication",
                "--server.port=" + port,
                "--spring.main.banner-mode=off");
        Map<String, String> env = builder.environment();
        env.putAll(infrastructure.settings());
        env.putAll(s3.environment(PREFIX));
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("HARK_DATA", uploadHostData.toString());
        // Hark.run chose the signing key of its data folder; every service must share it.
        env.put("HARK_JWT_SECRET", System.getProperty("HARK_JWT_SECRET"));
        builder.redirectErrorStream(true)
                .redirectOutput(data.resolve("upload-service.log").toFile());
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private List<S3Object> objects(String prefix) {
        return bucket
                .listObjectsV2Paginator(r -> r.bucket(s3.bucket()).prefix(PREFIX + "/" + prefix))
                .contents()
                .stream()
                .toList();
    }
}
