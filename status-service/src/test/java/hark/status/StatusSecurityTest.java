package hark.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.TokensRevoked;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Rows of docs/security.md that status-service answers: every read of a transcription is the owner's. */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class StatusSecurityTest extends StageTest {

    private static final long NODE = 7001;
    private static final String OWNER = TestTokens.user("owner");
    private static final String INTRUDER = TestTokens.user("intruder");
    private static final String ADMIN = TestTokens.admin("operator");

    @Autowired
    WebTestClient web;

    @Test
    void aTranscriptionIsItsOwnersAndAdminsOnly() {
        completedJobOf("owner");
        List<String> reads = List.of(
                "/api/nodes/" + NODE + "/transcription-status",
                "/api/nodes/" + NODE + "/transcription-events",
                "/api/nodes/" + NODE + "/transcript");

        for (String uri : reads) {
            assertThat(status(uri, null)).as("no token: " + uri).isEqualTo(401);
            assertThat(status(uri, TestTokens.expired("owner")))
                    .as("expired: " + uri)
                    .isEqualTo(401);
            assertThat(status(uri, TestTokens.signedByAnotherKey("owner")))
                    .as("forged: " + uri)
                    .isEqualTo(401);
            assertThat(status(uri, INTRUDER)).as("someone else: " + uri).isEqualTo(403);
            assertThat(status(uri, OWNER)).as("owner: " + uri).isEqualTo(200);
            assertThat(status(uri, ADMIN)).as("admin: " + uri).isEqualTo(200);
        }
        assertThat(status("/api/nodes/" + 987654 + "/transcription-status", OWNER))
                .isEqualTo(404);
    }

    /** Sign-out and a changed password reach this service through the revocation topic. */
    @Test
    void aSignedOutTokenAndTheTokensOfAChangedPasswordAre401HereToo() {
        String signedOut = TestTokens.signedIn("leaver", "token-signed-out", 0);
        String older = TestTokens.signedIn("leaver", "token-of-the-old-password", 0);
        String newer = TestTokens.signedIn("leaver", "token-of-the-new-password", 1);
        String uri = "/api/nodes";
        assertThat(status(uri, signedOut)).isEqualTo(200);

        probe.send(TokensRevoked.signedOut(
                "leaver", "token-signed-out", Instant.now().plus(Duration.ofHours(1))));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(uri, signedOut) == 401);
        assertThat(status(uri, older)).isEqualTo(200);

        probe.send(TokensRevoked.allBelow("leaver", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(uri, older) == 401);
        assertThat(status(uri, newer)).isEqualTo(200);
    }

    @Test
    void theListHoldsOnlyTheCallersNodes() {
        completedJobOf("owner");

        assertThat(listed(INTRUDER)).doesNotContain(NODE);
        assertThat(listed(OWNER)).contains(NODE);
        assertThat(status("/api/nodes", null)).isEqualTo(401);
    }

    @Test
    void adminEndpointsNeedTheAdminRole() {
        assertThat(status("/api/admin/overview", null)).isEqualTo(401);
        assertThat(status("/api/admin/overview", OWNER)).isEqualTo(403);
        assertThat(status("/api/admin/overview", ADMIN)).isEqualTo(200);
        web.post()
                .uri("/api/admin/rebuild-status")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(OWNER))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    private void completedJobOf(String owner) {
        UUID job = UUID.nameUUIDFromBytes(("security-" + NODE).getBytes());
        probe.send(AudioUploaded.of(job, NODE, owner, "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(assembled(job, NODE, "private words", 1, "sphinx"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status("/api/nodes/" + NODE + "/transcription-status", ADMIN) == 200
                        && "completed"
                                .equals(web.get()
                                        .uri("/api/nodes/{id}/transcription-status", NODE)
                                        .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(ADMIN))
                                        .exchange()
                                        .expectBody(Map.class)
                                        .returnResult()
                                        .getResponseBody()
                                        .get("status")));
    }

    private int status(String uri, String token) {
        var request = web.get().uri(uri).accept(MediaType.ALL);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token));
        }
        return request.exchange().returnResult(Void.class).getStatus().value();
    }

    @SuppressWarnings("unchecked")
    private List<Long> listed(String token) {
        Map<String, Object> page = web.get()
                .uri("/api/nodes?size=100")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((List<Map<String, Object>>) page.get("items"))
                .stream()
                        .map(item -> ((Number) item.get("node_id")).longValue())
                        .toList();
    }
}
