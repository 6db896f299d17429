package hark.status.stream;

import hark.platform.web.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * At most so many live streams open per user in this process, so that one account cannot hold
 * every connection: one more is a 429 (the page then polls instead). Counted per process, like the
 * connections themselves.
 */
final class StreamsPerUser {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final int limit;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    StreamsPerUser(int limit) {
        this.limit = limit;
    }

    /** {@code stream}, counted against {@code user} from its subscription until it ends, however it ends. */
    <T> Flux<T> open(String user, Flux<T> stream) {
        return Flux.defer(() -> {
            if (open.merge(user, 1, Integer::sum) > limit) {
                close(user);
                return Flux.error(ApiException.tooMany(
                        "Too many live streams open: at most " + limit
                                + " at a time. Close one, or poll the status instead.",
                        RETRY_AFTER));
            }
            return stream.doFinally(ended -> close(user));
        });
    }

    private void close(String user) {
        open.computeIfPresent(user, (name, count) -> count > 1 ? count - 1 : null);
    }
}
