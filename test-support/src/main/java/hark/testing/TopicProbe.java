package hark.testing;

import hark.platform.kafka.EventRecords;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/** Feeds events to topics of a real broker and reads what the stages put out, as a test would check it. */
public final class TopicProbe implements AutoCloseable {

    private final String bootstrap;
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<String, byte[]> producer;
    private final int chunkPartitions;

    public TopicProbe(String bootstrapServers, int chunkPartitions) {
        this.bootstrap = bootstrapServers;
        this.chunkPartitions = chunkPartitions;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    public void send(HarkEvent event) {
        var record = EventRecords.toRecord(event, codec.encode(event), chunkPartitions);
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the events of a topic that match {@code filter} number at least {@code count}. */
    public <T extends HarkEvent> List<T> await(String topic, Class<T> type, Predicate<T> filter, int count,
                                               Duration timeout) {
        Predicate<ConsumerRecord<String, byte[]>> matches = record -> {
            HarkEvent event = EventRecords.decode(codec, record);
            return type.isInstance(event) && filter.test(type.cast(event));
        };
        return awaitRecords(topic, matches, count, timeout).stream()
                .map(record -> type.cast(EventRecords.decode(codec, record)))
                .toList();
    }

    /** The records themselves, headers included (a dead letter's reason, say). */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, Predicate<ConsumerRecord<String, byte[]>> filter,
                                                             int count, Duration timeout) {
        // No consumer group: the probe reads every partition itself, so it never waits for a group
        // coordinator (on a fresh broker that can take a while to be ready).
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (Instant.now().isBefore(deadline)) {
                collect(consumer, filter, found);
                if (found.size() >= count) {
                    // Read a moment longer so that a duplicate published late is seen too.
                    Instant until = Instant.now().plusMillis(500);
                    while (Instant.now().isBefore(until)) {
                        collect(consumer, filter, found);
                    }
                    return found;
                }
            }
        }
        throw new AssertionError("Expected " + count + " matching records on " + topic + " within " + timeout
                + " but saw " + found.stream().map(r -> EventRecords.decode(codec, r)).toList());
    }

    private static void collect(KafkaConsumer<String, byte[]> consumer, Predicate<ConsumerRecord<String, byte[]>> filter,
                                List<ConsumerRecord<String, byte[]>> found) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
            if (filter.test(record)) {
                found.add(record);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
