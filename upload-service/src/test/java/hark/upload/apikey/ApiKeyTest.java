package hark.upload.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.security.ApiKeyFormat;
import hark.schemas.ApiKeyChanged;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import hark.upload.UploadServiceApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** API keys from upload-service's side: made, kept as a hash, used, listed, revoked; and what attackers try. */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hark.accounts.admin-name=ops",
            "hark.accounts.admin-password=" + ApiKeyTest.OPERATOR,
            "hark.api-keys.max-per-user=3",
            "hark.api-keys.max-name-length=40"
        })
@AutoConfigureWebTestClient
class ApiKeyTest extends StageTest {

    static final String OPERATOR = "only the operator knows this";
    private static final String PASSWORD = "a long enough secret";
    private static final Duration FEED = Duration.ofSeconds(30);

    static Path files;

    @Autowired
    WebTestClient web;

    @BeforeAll
    static void folder() throws IOException {
        files = Files.createTempDirectory("api-key-test");
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void aKeyIsShownOnceKeptOnlyAsAHashUploadsAndIsRefusedOnceRevoked() throws SQLException {
        String token = signUp("keyholder");
        var created = web.post()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "phone app"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .value(HttpHeaders.CACHE_CONTROL, value -> assertThat(value).contains("no-store"))
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        String key = (String) created.get("key");
        UUID id = UUID.fromString((String) created.get("id"));
        assertThat(key).matches("hark_[A-Za-z0-9_-]{43}");
        assertThat(created).containsEntry("name", "phone app").containsEntry("admin", false);

        // Kept: its hash, nothing else of it; told to every service: its hash, nothing else of it.
        try (Connection c = DB.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT * FROM upload.api_keys WHERE username = 'keyholder'")) {
            rs.next();
            assertThat(rs.getString("key_hash")).isEqualTo(ApiKeyFormat.hash(key));
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                assertThat(String.valueOf(rs.getObject(column))).doesNotContain(key.substring(5));
            }
        }
        ApiKeyChanged told = probe.awaitRecordsOf(
                        Topics.AUTH_API_KEYS,
                        ApiKeyChanged.class,
                        c -> c.keyId().equals(id),
                        1,
                        FEED)
                .get(0);
        assertThat(told.keyHash()).isEqualTo(ApiKeyFormat.hash(key));
        assertThat(told.admin()).isFalse();
        assertThat(probe.allRecords(Topics.AUTH_API_KEYS, r -> true))
                .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .doesNotContain(key.substring(5)));

        // Listed without the key, ever.
        String listed = list(token);
        assertThat(listed).contains("phone app").contains(id.toString()).doesNotContain(key.substring(5));

        // Accepted wherever a token is, as its owner.
        await().atMost(FEED).until(() -> status("/api/auth/me", key) == 200);
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(key))
                .exchange()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("keyholder")
                .jsonPath("$.admin")
                .isEqualTo(false);
        assertThat(upload(key)).isEqualTo(201);
        // Last used, told lazily by the service that accepted it.
        await().atMost(FEED).until(() -> !list(token).contains("\"last_used_at\":null"));

        web.delete()
                .uri("/api/auth/keys/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .exchange()
                .expectStatus()
                .isNoContent();
        await().atMost(Duration.ofMinutes(1)).until(() -> status("/api/auth/me", key) == 401);
        assertThat(upload(key)).isEqualTo(401);
        assertThat(list(token)).doesNotContain(id.toString());
        web.delete()
                .uri("/api/auth/keys/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .exchange()
                .expectStatus()
                .isNotFound();
        // The revocation carries no hash: compaction leaves nothing of the key on the topic.
        assertThat(probe.awaitRecordsOf(
                                Topics.AUTH_API_KEYS,
                                ApiKeyChanged.class,
                                c -> c.keyId().equals(id) && c.revoked(),
                                1,
                                FEED)
                        .get(0)
                        .keyHash())
                .isNull();
    }

    @Test
    void anotherUsersKeyIdIsNotFoundAndCannotBeRevoked() {
        String alice = signUp("alice");
        String bob = signUp("bob");
        Map<?, ?> created = create(alice, Map.of("name", "alice's importer"));
        String id = (String) created.get("id");
        String key = (String) created.get("key");

        assertThat(list(bob)).doesNotContain(id);
        for (String tried : List.of(id, UUID.randomUUID().toString(), "not-an-id")) {
            web.delete()
                    .uri("/api/auth/keys/" + tried)
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(bob))
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
        assertThat(list(alice)).contains(id);
        await().atMost(FEED).until(() -> status("/api/auth/me", key) == 200);
        // Not even with her own key can bob's request reach it, and a key cannot mint keys.
        web.post()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(key))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "successor"))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void onlyAnAdminMakesAnAdminKeyAndAnAdminsPlainKeyIsAUsersKey() {
        String user = signUp("mallory");
        web.post()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(user))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "mine", "admin", true))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("Only an admin can make an admin key");
        assertThat(list(user)).isEqualTo("{\"keys\":[]}");

        String operator = login("ops", OPERATOR);
        String plain =
                (String) create(operator, Map.of("name", "backup script")).get("key");
        Map<?, ?> marked = create(operator, Map.of("name", "ops robot", "admin", true));
        assertThat(marked.get("admin")).isEqualTo(true);
        String admin = (String) marked.get("key");
        await().atMost(FEED).until(() -> status("/api/auth/me", plain) == 200 && status("/api/auth/me", admin) == 200);

        // An admin endpoint: a plain key of an admin is refused there, the marked one passes (404:
        // no such account, past the role check).
        assertThat(setPriority(plain)).isEqualTo(403);
        assertThat(setPriority(admin)).isEqualTo(404);
        assertThat(status("/actuator/metrics", plain)).isEqualTo(403);
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(plain))
                .exchange()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(false);
    }

    @Test
    void malformedAndUnknownKeysAre401AndSayWhy() {
        web.get()
                .uri("/api/nodes/1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer hark_x")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .value(String.class, message -> assertThat(message).contains("malformed"));
        String wellFormedButNeverIssued = ApiKeyFormat.newKey(new java.security.SecureRandom());
        web.get()
                .uri("/api/nodes/1")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(wellFormedButNeverIssued))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .value(String.class, message -> assertThat(message).contains("not valid"));
        assertThat(upload("hark_" + "A".repeat(43))).isEqualTo(401);
    }

    @Test
    void aNameIsNeededAndShortAndAnAccountHasFewKeys() {
        String token = signUp("collector");
        for (Map<String, Object> body :
                List.<Map<String, Object>>of(Map.of(), Map.of("name", "  "), Map.of("name", "x".repeat(41)))) {
            web.post()
                    .uri("/api/auth/keys")
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus()
                    .isBadRequest();
        }
        for (int i = 0; i < 3; i++) {
            create(token, Map.of("name", "key " + i));
        }
        web.post()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "one too many"))
                .exchange()
                .expectStatus()
                .isEqualTo(409);
    }

    @Test
    void aNewPasswordEndsEveryKeyOfTheAccount() {
        String token = signUp("rotator");
        String key = (String) create(token, Map.of("name", "old laptop")).get("key");
        await().atMost(FEED).until(() -> status("/api/auth/me", key) == 200);

        web.post()
                .uri("/api/auth/password")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("current_password", PASSWORD, "new_password", "another long secret"))
                .exchange()
                .expectStatus()
                .isOk();

        await().atMost(Duration.ofMinutes(1)).until(() -> status("/api/auth/me", key) == 401);
        String fresh = login("rotator", "another long secret");
        assertThat(list(fresh)).isEqualTo("{\"keys\":[]}");
    }

    private String signUp(String name) {
        return (String) web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", PASSWORD))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("token");
    }

    private String login(String name, String password) {
        return (String) web.post()
                .uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", password))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("token");
    }

    private Map<?, ?> create(String token, Map<String, Object> body) {
        return web.post()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private String list(String token) {
        return web.get()
                .uri("/api/auth/keys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    private int status(String uri, String bearer) {
        return web.get()
                .uri(uri)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(bearer))
                .exchange()
                .returnResult(Void.class)
                .getStatus()
                .value();
    }

    private int setPriority(String bearer) {
        return web.put()
                .uri("/api/admin/accounts/nobody-here/priority")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(bearer))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("weight", 2))
                .exchange()
                .returnResult(Void.class)
                .getStatus()
                .value();
    }

    private int upload(String bearer) {
        Path clip = TestAudio.toneWav(files.resolve("clip-" + System.nanoTime() + ".wav"), 1, 16_000);
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(clip))
                .filename("note.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));
        return web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(bearer))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .returnResult(Void.class)
                .getStatus()
                .value();
    }
}
