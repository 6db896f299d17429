package hark.platform.security;

import hark.schemas.EventCodec;
import hark.schemas.TokensRevoked;
import hark.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Reads every revocation on {@link Topics#AUTH_REVOCATIONS} into {@link Revocations}, from the
 * topic's beginning at each start and then as they come. Not a consumer group: every instance of
 * every web service needs all of them, and nothing is committed.
 */
public final class RevocationFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final Revocations revocations;
    private final EventCodec codec = new EventCodec();
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public RevocationFeed(ConsumerFactory<String, byte[]> consumers, Revocations revocations) {
        this.consumers = consumers;
        this.revocations = revocations;
    }

    @Override
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        consumer = consumers.createConsumer(null, null, "-revocations", overrides);
        thread = new Thread(this::follow, "revocation-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.AUTH_REVOCATIONS, Duration.ofMinutes(5)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        revocations.apply(codec.decodeRecord(record.value(), TokensRevoked.class));
                    } catch (RuntimeException unreadable) {
                        log.warn(
                                "Skipped an unreadable revocation at {}-{}@{}: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                unreadable.getMessage());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // stop() asked
        } catch (RuntimeException e) {
            log.error("Revocations are no longer followed; signed-out tokens may be accepted until a restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void stop() {
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
