package hark.status;

import hark.testing.TestTokens;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Reads a node's transcription status as the page does, and waits for the view to get somewhere. */
public final class StatusPoller {

    private final WebTestClient web;

    /** @param web a client that already sends the token of whoever is looking */
    public StatusPoller(WebTestClient web) {
        this.web = web;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> now(long node) {
        return web.get()
                .uri("/api/nodes/{id}/transcription-status", node)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    /** Waits until the status answers and meets the condition (a 404 means the view has not seen the job yet). */
    public Map<String, Object> await(long node, Predicate<Map<String, Object>> condition) {
        return await(node, condition, null);
    }

    /** The same, looking with another token. */
    public Map<String, Object> await(long node, Predicate<Map<String, Object>> condition, String token) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> orNull(node, token), s -> s != null && condition.test(s));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> orNull(long node, String token) {
        var request = web.get().uri("/api/nodes/{id}/transcription-status", node);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token));
        }
        var result = request.exchange().expectBody(Map.class).returnResult();
        return result.getStatus().is2xxSuccessful() ? result.getResponseBody() : null;
    }
}
