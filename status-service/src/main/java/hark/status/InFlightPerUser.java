package hark.status;

import hark.platform.web.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * At most so many requests of one kind in flight per user in this process, so that one account
 * cannot hold every connection (live streams) or keep the database busy for everyone (searches):
 * one more is a 429. Counted per process, like the connections themselves.
 */
public final class InFlightPerUser {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final int limit;
    private final String refusal;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** @param refusal the 429's message, which should say what to do instead */
    public InFlightPerUser(int limit, String refusal) {
        this.limit = limit;
        this.refusal = refusal;
    }

    /** {@code work}, counted against {@code user} from its subscription until it ends, however it ends. */
    public <T> Flux<T> run(String user, Flux<T> work) {
        return Flux.defer(() -> {
            if (open.merge(user, 1, Integer::sum) > limit) {
                close(user);
                return Flux.error(ApiException.tooMany(refusal, RETRY_AFTER));
            }
            return work.doFinally(ended -> close(user));
        });
    }

    private void close(String user) {
        open.computeIfPresent(user, (name, count) -> count > 1 ? count - 1 : null);
    }
}
