package hark.upload.audio;

import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Makes every request for more part events reach Spring's multipart reader on the connection's
 * Netty event loop, the thread on which the reader emits them.
 *
 * <p>Why: the reader turns each body chunk into an event with {@code concatMap(b -> Mono.just(event))}.
 * Reactor's no-prefetch concatMap hands such a value over through a subscription that is not safe
 * against a {@code request(n)} from another thread arriving while the value is being set up: both
 * threads can emit it (reactor-core issue 4406, open at 3.8.6). The receiver's writes end on other
 * threads (the file channel's then, boundedElastic's now), and their demand used to travel up from
 * there, so now and then one event came out twice. The second copy was discarded, and the
 * receiver's discard hook released a buffer still queued for the file (seen: the hook called from
 * that concatMap's innerNext, on the event loop and on a file thread, in the upload that then
 * failed): the upload answered 500 with {@code refCnt: 0}. The same race can also pass the copy on
 * and lose the next event, storing a wrong file (issue 4406 shows that; not seen here). With
 * demand and emission on the one event loop thread, the race cannot happen.
 * {@code ConcurrentUploadStressTest} measures it.
 */
public final class EventLoopDemand {

    private EventLoopDemand() {}

    /** {@code parts}, with subscription and every request moved onto the request's event loop. */
    public static Flux<PartEvent> of(ServerHttpRequest request, Flux<PartEvent> parts) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        } catch (IllegalArgumentException notAdapted) {
            nativeRequest = null;
        }
        if (nativeRequest instanceof Connection connection) {
            // true: each request(n) too is run on the loop (at once when already on it).
            return parts.subscribeOn(
                    Schedulers.fromExecutor(connection.channel().eventLoop()), true);
        }
        // Not served by Reactor Netty (a mock request in a test): no event loop to line up with.
        return parts;
    }
}
