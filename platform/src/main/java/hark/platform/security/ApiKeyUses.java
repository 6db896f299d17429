package hark.platform.security;

import hark.platform.kafka.EventRecords;
import hark.schemas.ApiKeyUsed;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tells upload-service, which keeps each key's "last used", that this service accepted a key: at
 * most once a {@link #EVERY} per key, so a key used in a hot loop costs one record a minute, not a
 * row write per request. Sent straight to Kafka, not through an outbox: this service has no state
 * of its own to keep in step with it, and a lost record only leaves "last used" a minute behind.
 */
public final class ApiKeyUses {

    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ApiKeyUses.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();
    private final Map<UUID, Instant> lastTold = new ConcurrentHashMap<>();

    public ApiKeyUses(KafkaTemplate<String, byte[]> kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
    }

    public void used(ApiKeyHolder holder) {
        Instant now = clock.instant();
        boolean[] due = {false};
        lastTold.compute(holder.keyId(), (id, told) -> {
            if (told == null || !now.isBefore(told.plus(EVERY))) {
                due[0] = true;
                return now;
            }
            return told;
        });
        if (due[0]) {
            send(ApiKeyUsed.of(holder.keyId(), holder.username(), now));
        }
    }

    /** A revoked key is told no more, and forgotten. */
    public void forget(UUID keyId) {
        lastTold.remove(keyId);
    }

    // Off the request's thread: a producer's first send to a topic may wait for its metadata.
    private void send(ApiKeyUsed use) {
        Mono.fromFuture(() -> kafka.send(EventRecords.record(
                        Topics.AUTH_API_KEY_USES,
                        null,
                        use.keyId().toString(),
                        ApiKeyUsed.TYPE,
                        codec.encodeRecord(use))))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(
                        sent -> {},
                        failed -> log.warn(
                                "Could not tell when API key {} was used: {}", use.keyId(), failed.getMessage()));
    }
}
