package hark.platform.kafka;

import hark.schemas.EventCodec;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Applies every record of a small topic that is not a job's (revocations, engine choices) to what
 * this process keeps in memory, from the topic's beginning at each start and then as they come.
 * Not a consumer group: every instance needs all of them, and nothing is committed.
 */
public final class TopicFeed<T extends Record> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
    /** How often a topic that is not there yet is looked for again. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final ConsumerFactory<String, byte[]> consumers;
    private final String topic;
    private final Class<T> type;
    private final Consumer<T> apply;
    private final String threadName;
    private final EventCodec codec = new EventCodec();
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private Thread thread;

    public TopicFeed(
            ConsumerFactory<String, byte[]> consumers,
            String topic,
            Class<T> type,
            Consumer<T> apply,
            String threadName) {
        this.consumers = consumers;
        this.topic = topic;
        this.type = type;
        this.apply = apply;
        this.threadName = threadName;
    }

    @Override
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        consumer = consumers.createConsumer(null, null, "-" + threadName, overrides);
        thread = new Thread(this::follow, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        // Its own reference: stop() forgets the field, and may give up waiting before this ends.
        var consumer = this.consumer;
        try {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    applyRecord(record);
                }
            }
        } catch (WakeupException stopping) {
            // stop() asked
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error(
                    "{} is no longer followed: its {} records are not applied until a restart",
                    topic,
                    type.getSimpleName(),
                    e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * The topic's partitions once it exists. The service that writes it may create it after this one
     * started (the broker does not auto-create topics), and an absent topic has no partitions.
     */
    private List<TopicPartition> partitions(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer)
            throws InterruptedException {
        boolean told = false;
        while (true) {
            List<TopicPartition> found = consumer.partitionsFor(topic, Duration.ofMinutes(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (!found.isEmpty()) {
                return found;
            }
            if (!told) {
                log.info("{} does not exist yet: following it once it does", topic);
                told = true;
            }
            // stop() wakes the consumer: the next look throws, so this wait needs no interrupting.
            Thread.sleep(LOOK_AGAIN.toMillis());
        }
    }

    private void applyRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone of a compacted topic: nothing to apply
        }
        try {
            apply.accept(codec.decodeRecord(record.value(), type));
        } catch (RuntimeException unreadable) {
            log.warn(
                    "Skipped an unreadable {} at {}-{}@{}: {}",
                    type.getSimpleName(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    unreadable.getMessage());
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
