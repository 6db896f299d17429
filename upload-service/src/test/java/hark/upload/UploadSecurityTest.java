package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;

import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

/** Rows of docs/security.md that upload-service answers: accounts, tokens, ownership, file names. */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.upload.uploads-per-minute=3")
@AutoConfigureWebTestClient
class UploadSecurityTest extends StageTest {

    static Path files;

    @Autowired
    WebTestClient web;

    @BeforeAll
    static void audio() throws IOException {
        files = Files.createTempDirectory("security-test");
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void signUpAndSignInAnswerATokenAndSetAnHttpOnlyStrictCookie() {
        var signUp = web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "ada", "password", "correct horse battery"))
                .exchange()
                .expectStatus()
                .isCreated();
        signUp.expectHeader()
                .value(
                        HttpHeaders.SET_COOKIE,
                        cookie -> assertThat(cookie)
                                .contains("hark_token=")
                                .contains("HttpOnly")
                                .contains("SameSite=Strict"));
        String token = (String)
                signUp.expectBody(Map.class).returnResult().getResponseBody().get("token");

        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.username")
                .isEqualTo("ada")
                .jsonPath("$.admin")
                .isEqualTo(false);
        web.post()
                .uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "ada", "password", "correct horse battery"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.token")
                .isNotEmpty();
        // The browser sends only the cookie.
        web.get()
                .uri("/api/auth/me")
                .cookie("hark_token", token)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void passwordsAreKeptOnlyAsBcryptHashes() throws SQLException {
        web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "hashed", "password", "never stored plainly"))
                .exchange()
                .expectStatus()
                .isCreated();

        try (Connection c = DB.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT password_hash FROM upload.accounts WHERE username = 'hashed'")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("$2").doesNotContain("never stored plainly");
        }
    }

    @Test
    void wrongPasswordsTakenNamesAndWeakPasswordsAreRefusedPlainly() {
        web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "grace", "password", "a good long one"))
                .exchange()
                .expectStatus()
                .isCreated();

        web.post()
                .uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "grace", "password", "not the one"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("Wrong user name or password");
        web.post()
                .uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "nobody-here", "password", "a good long one"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "grace", "password", "another long one"))
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "shorty", "password", "short"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("8 to 72 characters"));
    }

    @Test
    void withoutAValidTokenTheApiAnswers401() {
        for (String authorization : List.of(
                "",
                TestTokens.bearer(TestTokens.signedByAnotherKey("ada")),
                TestTokens.bearer(TestTokens.expired("ada")),
                "Bearer not-a-token")) {
            var request = web.get().uri("/api/nodes/1");
            if (!authorization.isEmpty()) {
                request = request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            request.exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectBody()
                    .jsonPath("$.error")
                    .value(m -> assertThat((String) m).startsWith("Sign in first"));
        }
        web.post()
                .uri("/api/nodes")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "hi"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void anotherUsersNodeAndItsAudioAre403AndAnUnknownOne404() {
        long node = upload("owner", "note.wav");

        for (String uri : List.of("/api/nodes/" + node, "/api/nodes/" + node + "/audio")) {
            web.get()
                    .uri(uri)
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("intruder")))
                    .exchange()
                    .expectStatus()
                    .isForbidden();
            web.get()
                    .uri(uri)
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("owner")))
                    .exchange()
                    .expectStatus()
                    .isOk();
            web.get()
                    .uri(uri)
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("boss")))
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        web.get()
                .uri("/api/nodes/987654")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("owner")))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aParentMustBeOneOfYourOwnNodesAndARefusalLeavesNothing() throws Exception {
        long someoneElses = textNode("neighbour", null);
        String before = Leftovers.of(DB, storage);

        web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("me")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "reply", "parent_id", someoneElses))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("one of your nodes"));
        var form = form("child.wav");
        form.part("parent_id", String.valueOf(someoneElses));
        web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("me")))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isBadRequest();

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        assertThat(textNode("me", textNode("me", null))).isPositive();
    }

    @Test
    void aClientsFileNameNeverBecomesPartOfAPath() throws Exception {
        long node = upload("traveller", "../../../../tmp/escaped.wav");

        try (Connection c = DB.connect();
                ResultSet rs =
                        c.createStatement().executeQuery("SELECT audio_path FROM upload.nodes WHERE id = " + node)) {
            rs.next();
            assertThat(rs.getString(1)).matches("originals/[0-9a-f-]{36}\\.wav");
        }
        try (Stream<Path> all = Files.walk(storage)) {
            assertThat(all).noneMatch(p -> p.getFileName().toString().contains("escaped"));
        }
        // Where a naive join of the storage folder and the name would have put it.
        assertThat(Path.of("/tmp/escaped.wav")).doesNotExist();
    }

    @Test
    void tooManyUploadsAre429WithRetryAfterAndLeaveNothingAndARetryCountsAsOne() throws Exception {
        long first = upload("hasty", "note-0.wav");
        for (int i = 1; i < 3; i++) {
            upload("hasty", "note-" + i + ".wav");
        }
        String before = Leftovers.of(DB, storage);

        web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("hasty")))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form("one-more.wav").build()))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .value(
                        HttpHeaders.RETRY_AFTER,
                        seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60))
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).startsWith("Too many uploads: at most 3 a minute"));

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        // A retry starts new work too: it is counted, and refused when the minute's uploads are spent.
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", first)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("hasty")))
                .exchange()
                .expectStatus()
                .isEqualTo(429);
        // The limit is each person's own.
        upload("patient", "note.wav");
    }

    @Test
    void healthIsOpenButTheOtherActuatorEndpointsNeedAnAdmin() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        web.get()
                .uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("ada")))
                .exchange()
                .expectStatus()
                .isForbidden();
        web.get()
                .uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("boss")))
                .exchange()
                .expectStatus()
                .isOk();
    }

    private long upload(String user, String fileName) {
        Map<?, ?> node = web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user(user)))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(fileName).build()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((Number) node.get("id")).longValue();
    }

    private MultipartBodyBuilder form(String fileName) {
        Path clip = TestAudio.toneWav(files.resolve("clip-" + System.nanoTime() + ".wav"), 1, 16_000);
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(clip))
                .filename(fileName)
                .contentType(MediaType.parseMediaType("audio/wav"));
        return form;
    }

    private long textNode(String user, Long parent) {
        Map<String, Object> body =
                parent == null ? Map.of("content", "a thought") : Map.of("content", "a thought", "parent_id", parent);
        Map<?, ?> node = web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user(user)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((Number) node.get("id")).longValue();
    }
}
