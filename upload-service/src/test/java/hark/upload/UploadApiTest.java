package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.upload.max-upload-mb=1")
@AutoConfigureWebTestClient
class UploadApiTest extends StageTest {

    static Path files;

    @Autowired
    WebTestClient web;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("local")))
                .build();
    }

    @BeforeAll
    static void audio() throws IOException {
        files = Files.createTempDirectory("upload-test");
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void anUploadAnswersAtOnceWithThePendingNodeAndAnnouncesItsJob() throws IOException {
        Path clip = TestAudio.toneWav(files.resolve("note.wav"), 2, 16_000);

        Map<String, Object> node = upload(part("note.wav", new FileSystemResource(clip)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();

        assertThat(node)
                .containsEntry("content", "[Voice note – transcription pending]")
                .containsEntry("transcription_status", "pending")
                .containsEntry("node_type", "user")
                .containsKeys("id", "created_at", "audio_original_url", "transcription_task_id");
        long id = ((Number) node.get("id")).longValue();
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));
        assertThat(node.get("audio_original_url")).isEqualTo("/api/nodes/" + id + "/audio");

        AudioUploaded event = probe.await(
                        Topics.AUDIO_UPLOADED,
                        AudioUploaded.class,
                        e -> e.jobId().equals(job),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(event.nodeId()).isEqualTo(id);
        assertThat(event.sizeBytes()).isEqualTo(clip.toFile().length());
        assertThat(storage.resolve(event.audioPath())).hasSameBinaryContentAs(clip);
        web.get()
                .uri("/api/nodes/{id}/audio", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .value(bytes -> assertThat(bytes).hasSize((int) clip.toFile().length()));
        // What a player asks for when it seeks.
        web.get()
                .uri("/api/nodes/{id}/audio", id)
                .header(HttpHeaders.RANGE, "bytes=100-199")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PARTIAL_CONTENT)
                .expectHeader()
                .valueEquals(
                        HttpHeaders.CONTENT_RANGE,
                        "bytes 100-199/" + clip.toFile().length())
                .expectBody(byte[].class)
                .isEqualTo(java.util.Arrays.copyOfRange(Files.readAllBytes(clip), 100, 200));
        web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.transcription_task_id")
                .isEqualTo(job.toString());
    }

    /**
     * A client that sends its next request before the server has finished with the previous one
     * (HTTP keep-alive; browsers and load balancers do) gets every answer. Reactor Netty 1.3.6
     * stopped reading such a connection once a request that waited behind another was answered at
     * once (reactor-netty issue 4361): the next request on it was never answered, which is how a
     * 401 in UploadSecurityTest once hung for 30 s in CI. Here the first answer needs the
     * database, so it is written after the second request has arrived; the 401 is immediate.
     */
    @Test
    void requestsSentBackToBackOnOneConnectionAreEachAnswered(@Value("${local.server.port}") int port)
            throws IOException {
        long id = ((Number) web.post()
                        .uri("/api/nodes")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("content", "kept alive"))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("id"))
                .longValue();
        String signedIn = "GET /api/nodes/" + id + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + TestTokens.bearer(TestTokens.user("local")) + "\r\n\r\n";
        String anonymous = "GET /api/nodes/" + id + " HTTP/1.1\r\nHost: localhost\r\n\r\n";

        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            var in = new BufferedInputStream(socket.getInputStream());
            out.write((signedIn + anonymous).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.readStatus(in)).isEqualTo(200);
            assertThat(RawHttp.readStatus(in)).isEqualTo(401);

            out.write(anonymous.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.readStatus(in))
                    .as("the next request on the same connection")
                    .isEqualTo(401);
        }
    }

    @Test
    void anAssembledTranscriptBecomesTheNodesContent() {
        Path clip = TestAudio.toneWav(files.resolve("later.wav"), 1, 16_000);
        Map<String, Object> node = upload(part("later.wav", new FileSystemResource(clip)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        long id = ((Number) node.get("id")).longValue();
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));

        probe.send(assembled(job, id, "hello there\n\ngeneral kenobi", 2, "sphinx"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> web.get()
                        .uri("/api/nodes/{id}", id)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.content")
                        .isEqualTo("hello there\n\ngeneral kenobi"));
    }

    @Test
    void aFailedTranscriptionCanBeRetriedByItsOwnerAsANewJobOnTheSameRecording() {
        Path clip = TestAudio.toneWav(files.resolve("retry.wav"), 1, 16_000);
        Map<String, Object> node = upload(part("retry.wav", new FileSystemResource(clip)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        long id = ((Number) node.get("id")).longValue();
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("failed or cancelled"));

        probe.send(StageFailed.of(job, id, "transcribe", "The transcription API failed", false));
        Map<?, ?> retried = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            var answer = web.post()
                                    .uri("/api/nodes/{id}/transcription/retry", id)
                                    .exchange()
                                    .expectBody(Map.class)
                                    .returnResult();
                            return answer.getStatus().value() == 202 ? answer.getResponseBody() : null;
                        },
                        body -> body != null);

        UUID attempt = UUID.fromString((String) retried.get("transcription_task_id"));
        assertThat(attempt).isNotEqualTo(job);
        assertThat(retried.get("transcription_status")).isEqualTo("pending");
        AudioUploaded again = probe.await(
                        Topics.AUDIO_UPLOADED,
                        AudioUploaded.class,
                        e -> e.jobId().equals(attempt),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(again.nodeId()).isEqualTo(id);
        assertThat(again.userId()).isEqualTo("local");
        assertThat(storage.resolve(again.audioPath())).exists();
        // A running attempt cannot be retried again, and nobody else can retry it.
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("stranger")))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aTextNodeCanBePostedAsJson() {
        web.post()
                .uri("/api/nodes")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "just a thought", "node_type", "user"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.content")
                .isEqualTo("just a thought")
                .jsonPath("$.audio_original_url")
                .isEmpty();
    }

    @Test
    void missingFileIs400AndLeavesNothing() throws Exception {
        String before = Leftovers.of(DB, storage);
        var form = new MultipartBodyBuilder();
        form.part("parent_id", "");
        web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("audio_file"));

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    @Test
    void unsupportedTypeIs415AndLeavesNothing() throws Exception {
        String before = Leftovers.of(DB, storage);
        upload(part("notes.txt", new ByteArrayResource("hello".getBytes()) {
                    @Override
                    public String getFilename() {
                        return "notes.txt";
                    }
                }))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("Unsupported"));

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    @Test
    void anUnknownParentIs400AndLeavesNothing() throws Exception {
        String before = Leftovers.of(DB, storage);
        var form = part("child.wav", new FileSystemResource(TestAudio.toneWav(files.resolve("c.wav"), 1, 8000)));
        form.part("parent_id", "999999");
        upload(form).expectStatus().isBadRequest();

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    @Test
    void tooLargeIs413WhetherOrNotTheSizeIsDeclared() throws Exception {
        String before = Leftovers.of(DB, storage);
        Path big = TestAudio.toneWav(files.resolve("big.wav"), 40, 16_000); // 1.28 MB > 1 MB

        upload(part("big.wav", new FileSystemResource(big)))
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("too large"));

        // A streamed part has no length up front: the limit must hold on the bytes themselves.
        // It starts as a real WAV, so that it is refused for its size and not for its content.
        byte[] wavStart = java.util.Arrays.copyOf(Files.readAllBytes(big), 64 * 1024);
        var form = new MultipartBodyBuilder();
        Flux<DataBuffer> stream = Flux.range(0, 40)
                .map(i ->
                        DefaultDataBufferFactory.sharedInstance.wrap(i == 0 ? wavStart.clone() : new byte[64 * 1024]));
        form.asyncPart("audio_file", stream, DataBuffer.class)
                .filename("streamed.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));
        upload(form).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    private static MultipartBodyBuilder part(String filename, org.springframework.core.io.Resource body) {
        return Uploads.part(filename, body);
    }

    private WebTestClient.ResponseSpec upload(MultipartBodyBuilder form) {
        return Uploads.upload(web, form);
    }
}
