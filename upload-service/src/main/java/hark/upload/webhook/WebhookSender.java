package hark.upload.webhook;

import hark.platform.PeriodicTask;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the calls that are due, side by side, and records each try. Everything it needs is in
 * PostgreSQL, so a sender that is stopped mid-send (or a process that dies) loses nothing: the
 * call's lease runs out and a sender, here or in another instance, sends it again under the same
 * webhook-id, by which the receiver knows it for the same call. Before each try the callback's
 * host is resolved and checked again (it may point elsewhere since the upload), and the call
 * goes to the address checked.
 */
public class WebhookSender extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookDeliveries deliveries;
    private final CallbackAddresses addresses;
    private final SignedPost post;
    private final WebhookProperties props;

    public WebhookSender(WebhookDeliveries deliveries, CallbackAddresses addresses, WebhookProperties props) {
        super("webhook-sender", props.pollInterval(), props.pollInterval());
        this.deliveries = deliveries;
        this.addresses = addresses;
        this.post = new SignedPost(props);
        this.props = props;
    }

    @Override
    protected void runOnce() {
        try {
            deliveries
                    .claim(props.batchSize(), props.lease())
                    .collectList()
                    .flatMapMany(Flux::fromIterable)
                    .flatMap(this::attempt, props.batchSize())
                    .blockLast(props.lease());
        } catch (RuntimeException e) {
            // Stopped while sending: like a process killed then, nothing more is written; the
            // lease brings the calls back.
            if (Exceptions.unwrap(e) instanceof InterruptedException
                    || Thread.currentThread().isInterrupted()) {
                return;
            }
            throw e;
        }
    }

    private Mono<Void> attempt(WebhookDeliveries.Due due) {
        long started = System.nanoTime();
        Mono<Integer> call = due.key() == null
                ? Mono.error(new NotSendable("no webhook secret: make one with POST /api/webhooks/secret"))
                // The lookup blocks: on a thread that may wait, never on the client's event loop.
                : Mono.fromCallable(() -> addresses.check(due.url()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(target ->
                                post.send(target, WebhookDeliveries.messageId(due.id()), due.key(), due.body()))
                        // The whole try, the lookup included, and a receiver trickling its answer
                        // byte by byte (the read timeout only bounds the gaps): within the lease.
                        .timeout(props.tryLimit());
        return call.map(status -> new WebhookDeliveries.Result(status, null, since(started)))
                .onErrorResume(e -> Mono.just(new WebhookDeliveries.Result(null, reason(e), since(started))))
                .flatMap(result -> deliveries.record(due, result, result.delivered() ? null : next(due)));
    }

    /** When to try again, or null when the next try would come after the call's last day. */
    private OffsetDateTime next(WebhookDeliveries.Due due) {
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plus(props.waitAfter(due.attempt()));
        return next.isAfter(due.createdAt().plus(props.giveUpAfter())) ? null : next;
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** What a try's record says went wrong: the reason, never a stack, at most a line. */
    private static String reason(Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        String why;
        if (cause instanceof CallbackAddresses.Refused || cause instanceof NotSendable) {
            why = cause.getMessage();
        } else if (cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            why = "timed out";
        } else {
            why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        log.debug("Webhook try failed: {}", why);
        return why.length() > 300 ? why.substring(0, 300) : why;
    }

    private static final class NotSendable extends RuntimeException {
        NotSendable(String message) {
            super(message, null, false, false);
        }
    }
}
