package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** A signed-up user of a running Hark, over HTTP as the page talks to it: upload, read, follow. */
public final class HarkClient {

    private static final List<String> ENDED = List.of("completed", "failed", "cancelled");

    private final WebTestClient web;
    private final String token;

    private HarkClient(WebTestClient web, String token) {
        this.web = web;
        this.token = token;
    }

    /** Registers {@code username} on the Hark of {@code context} and signs in as them. */
    public static HarkClient signUp(ConfigurableApplicationContext context, String username) {
        return signedIn(context, "register", username, "a long enough secret", 201);
    }

    /** Signs in as an account that exists (the operator's admin, say). */
    public static HarkClient signIn(ConfigurableApplicationContext context, String username, String password) {
        return signedIn(context, "login", username, password, 200);
    }

    private static HarkClient signedIn(
            ConfigurableApplicationContext context, String action, String username, String password, int expected) {
        WebTestClient web = WebTestClient.bindToServer()
                .baseUrl(baseUrl(context))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        String token = (String) web.post()
                .uri("/api/auth/" + action)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange()
                .expectStatus()
                .isEqualTo(expected)
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("token");
        return new HarkClient(
                web.mutate().defaultHeader("Authorization", "Bearer " + token).build(), token);
    }

    public static String baseUrl(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    public WebTestClient web() {
        return web;
    }

    public String token() {
        return token;
    }

    /** Uploads a WAV recording; it must answer 201 with a pending job at once. Returns the node id. */
    public long upload(Path recording) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(recording))
                .filename(recording.getFileName().toString())
                .contentType(MediaType.parseMediaType("audio/wav"));
        Map<?, ?> node = web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        assertThat(node.get("transcription_status")).isEqualTo("pending");
        return ((Number) node.get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> node(long id) {
        return web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    /** The node's current transcription job. */
    public UUID job(long id) {
        return UUID.fromString((String) node(id).get("transcription_task_id"));
    }

    /** The polling answer, or null while the status view has not folded the upload yet. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> status(long id) {
        var result = web.get()
                .uri("/api/nodes/{id}/transcription-status", id)
                .exchange()
                .expectBody(Map.class)
                .returnResult();
        return result.getStatus().value() == 404 ? null : result.getResponseBody();
    }

    /** Polls until the job has ended (completed, failed or cancelled) and returns that answer. */
    public Map<String, Object> awaitEnd(long id, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> status(id), s -> s != null && ENDED.contains(s.get("status")));
    }
}
