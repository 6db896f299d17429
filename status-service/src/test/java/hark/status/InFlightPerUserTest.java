package hark.status;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.web.ApiException;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class InFlightPerUserTest {

    private final InFlightPerUser searches = new InFlightPerUser(2, "Too many searches at once.");

    @Test
    void aThirdRequestOfOneUserWhileTwoRunIsRefusedUntilOneEndsOrIsGivenUp() {
        Sinks.One<String> first = Sinks.one();
        searches.run("mallory", first.asMono().flux()).subscribe();
        Disposable second = searches.run("mallory", Flux.never()).subscribe();

        assertRefused("mallory");
        // Someone else is not held back by mallory's searches.
        assertAnswered("alice");

        first.tryEmitValue("done");
        assertAnswered("mallory");

        searches.run("mallory", Flux.never()).subscribe();
        assertRefused("mallory");
        second.dispose(); // a client that gave up frees its place too
        assertAnswered("mallory");
    }

    private void assertRefused(String user) {
        StepVerifier.create(searches.run(user, Flux.just("answer")))
                .expectErrorSatisfies(refused -> {
                    assertThat(refused).isInstanceOf(ApiException.class).hasMessageContaining("Too many searches");
                    assertThat(((ApiException) refused).status().value()).isEqualTo(429);
                })
                .verify();
    }

    private void assertAnswered(String user) {
        StepVerifier.create(searches.run(user, Flux.just("answer")))
                .expectNext("answer")
                .verifyComplete();
    }
}
