package hark.status.view;

import hark.platform.security.Caller;
import hark.platform.web.ApiException;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/** A node's transcription is the business of its owner and of admins only. */
public final class Ownership {

    private Ownership() {}

    /**
     * The item if the caller may read it: none → 404, someone else's → 403. A job whose upload the
     * view has not folded yet has no known owner: 404 "yet" for everyone but admins.
     */
    public static <T> Mono<T> readable(Mono<T> found, Function<T, String> owner, long nodeId) {
        return Caller.current()
                .flatMap(caller -> found.filter(item -> owner.apply(item) != null || caller.admin())
                        .switchIfEmpty(Mono.error(StatusController.noTranscription(nodeId)))
                        .flatMap(item -> caller.mayRead(owner.apply(item))
                                ? Mono.just(item)
                                : Mono.error(
                                        new ApiException(HttpStatus.FORBIDDEN, "Node " + nodeId + " is not yours"))));
    }
}
