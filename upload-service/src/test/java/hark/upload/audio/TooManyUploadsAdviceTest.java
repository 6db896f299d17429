package hark.upload.audio;

import hark.platform.web.ApiErrors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The 429 as a client sees it, with the platform's ApiErrors in place as in the services. */
class TooManyUploadsAdviceTest {

    @RestController
    static class Uploads {
        final UploadRateLimiter limiter = new UploadRateLimiter(1,
                Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC));

        @PostMapping("/upload")
        Mono<String> upload() {
            limiter.acquire("ann");
            return Mono.just("stored");
        }
    }

    // ApiErrors is listed first on purpose: the advice's order, not the listing, must decide.
    final WebTestClient web = WebTestClient.bindToController(new Uploads())
            .controllerAdvice(new ApiErrors(), new TooManyUploadsAdvice()).build();

    @Test
    void overTheLimitIs429WithRetryAfterAndTheUsualJsonError() {
        web.post().uri("/upload").exchange().expectStatus().isOk();

        web.post().uri("/upload").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "60")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.error")
                .isEqualTo("Too many uploads: at most 1 a minute. Try again in 60 seconds.");
    }
}
