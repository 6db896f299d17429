package hark.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.security.ApiKeyFormat;
import hark.schemas.ApiKeyChanged;
import hark.schemas.ApiKeyUsed;
import hark.schemas.AudioUploaded;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * API keys as status-service sees them: it has no access to upload-service's tables, only to the
 * keys' topic, as upload-service's outbox writes it.
 */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class StatusApiKeyTest extends StageTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration FEED = Duration.ofSeconds(30);

    @Autowired
    WebTestClient web;

    @Test
    void aKeyReadsItsOwnersStatusUntilItsRevocationArrives() {
        long node = 7101;
        UUID job = UUID.nameUUIDFromBytes("api-key-status".getBytes());
        probe.send(AudioUploaded.of(job, node, "owner", "originals/" + job + ".wav", "audio/wav", 10));
        String key = ApiKeyFormat.newKey(RANDOM);
        UUID id = UUID.randomUUID();
        String uri = "/api/nodes/" + node + "/transcription-status";
        assertThat(status(uri, key)).isEqualTo(401);

        probe.send(ApiKeyChanged.issued(id, "owner", ApiKeyFormat.hash(key), false));
        await().atMost(FEED).until(() -> status(uri, key) == 200);
        String intruders = ApiKeyFormat.newKey(RANDOM);
        probe.send(ApiKeyChanged.issued(UUID.randomUUID(), "intruder", ApiKeyFormat.hash(intruders), false));
        await().atMost(FEED).until(() -> status("/api/nodes", intruders) == 200);
        assertThat(status(uri, intruders)).isEqualTo(403);

        // Used many times, told once: "last used" costs no write per request.
        for (int i = 0; i < 20; i++) {
            assertThat(status("/api/nodes", key)).isEqualTo(200);
        }
        probe.awaitRecordsOf(
                Topics.AUTH_API_KEY_USES, ApiKeyUsed.class, use -> use.keyId().equals(id), 1, FEED);
        assertThat(probe.allRecords(Topics.AUTH_API_KEY_USES, r -> r.key().equals(id.toString())))
                .hasSize(1);

        probe.send(ApiKeyChanged.revoked(id, "owner"));
        await().atMost(Duration.ofMinutes(1)).until(() -> status(uri, key) == 401);
        web.get()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(key))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .value(String.class, message -> assertThat(message).contains("revoked"));
    }

    @Test
    void anAdminsPlainKeyIsRefusedAtAdminEndpointsAndOnlyAMarkedKeyPasses() {
        String plain = ApiKeyFormat.newKey(RANDOM);
        String marked = ApiKeyFormat.newKey(RANDOM);
        probe.send(ApiKeyChanged.issued(UUID.randomUUID(), "operator", ApiKeyFormat.hash(plain), false));
        probe.send(ApiKeyChanged.issued(UUID.randomUUID(), "operator", ApiKeyFormat.hash(marked), true));
        await().atMost(FEED).until(() -> status("/api/nodes", plain) == 200 && status("/api/nodes", marked) == 200);

        assertThat(status("/api/admin/overview", plain)).isEqualTo(403);
        assertThat(status("/api/admin/overview", marked)).isEqualTo(200);
        web.post()
                .uri("/api/admin/rebuild-status")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(plain))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aMalformedKeyIs401AndSaysSo() {
        web.get()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, "Bearer hark_x")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .value(String.class, message -> assertThat(message).contains("malformed"));
    }

    private int status(String uri, String key) {
        return web.get()
                .uri(uri)
                .accept(MediaType.ALL)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(key))
                .exchange()
                .returnResult(Void.class)
                .getStatus()
                .value();
    }
}
