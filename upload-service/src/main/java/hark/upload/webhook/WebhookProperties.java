package hark.upload.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How webhooks are sent.
 *
 * @param allowPrivate   {@code HARK_WEBHOOK_ALLOW_PRIVATE}: also call loopback and private
 *                       addresses (a receiver on the same machine or network); link-local
 *                       addresses, where clouds serve their metadata, stay refused
 * @param publicUrl      {@code HARK_PUBLIC_URL}: where clients reach Hark, put before the links in
 *                       a call's body; empty for links relative to the API's own address
 * @param backoff        waits after the 1st, 2nd, … failed try; the last one repeats
 * @param giveUpAfter    no try is made later than this after the job ended
 * @param connectTimeout longest wait for the receiver's connection
 * @param readTimeout    longest wait for the receiver's answer once the request is sent
 * @param lease          how long a claimed call is left to its sender before another may send it
 *                       again: more than a try can take, or a slow receiver would get it twice
 * @param pollInterval   how often the sender looks for calls that are due
 * @param batchSize      calls claimed, and sent side by side, per round
 */
@ConfigurationProperties("hark.webhooks")
public record WebhookProperties(
        boolean allowPrivate,
        String publicUrl,
        List<Duration> backoff,
        Duration giveUpAfter,
        Duration connectTimeout,
        Duration readTimeout,
        Duration lease,
        Duration pollInterval,
        int batchSize) {

    /** Time a try has besides its connect and read timeouts: the host's lookup, the signing. */
    private static final Duration TRY_SLACK = Duration.ofSeconds(2);

    public WebhookProperties {
        if (backoff == null || backoff.isEmpty()) {
            throw new IllegalArgumentException("hark.webhooks.backoff needs at least one wait");
        }
        if (lease.compareTo(connectTimeout.plus(readTimeout).plus(TRY_SLACK.multipliedBy(2))) <= 0) {
            throw new IllegalArgumentException(
                    "hark.webhooks.lease must be longer than connect-timeout and" + " read-timeout together, plus "
                            + TRY_SLACK.multipliedBy(2).toSeconds() + " s");
        }
        publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    /** The longest a try may take, the host's lookup included: less than the lease, so no two overlap. */
    public Duration tryLimit() {
        return connectTimeout.plus(readTimeout).plus(TRY_SLACK);
    }

    /** The wait after the {@code tries}-th failed try (1 for the first). */
    public Duration waitAfter(int tries) {
        return backoff.get(Math.min(Math.max(tries, 1), backoff.size()) - 1);
    }
}
