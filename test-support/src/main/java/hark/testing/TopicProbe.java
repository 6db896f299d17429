package hark.testing;

import hark.platform.kafka.EventRecords;
import hark.schemas.ApiKeyChanged;
import hark.schemas.EngineChosen;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.PriorityChanged;
import hark.schemas.TokensRevoked;
import hark.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Feeds events to topics of a real broker and reads what the stages put out, as a test would check it. */
public final class TopicProbe implements AutoCloseable {

    private final String bootstrap;
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<String, byte[]> producer;

    public TopicProbe(String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public void send(HarkEvent event) {
        var record = EventRecords.toRecord(event, codec.encode(event));
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A revocation of sign-in tokens, as upload-service's outbox publishes it. */
    public void send(TokensRevoked revocation) {
        try {
            producer.send(new ProducerRecord<>(
                            Topics.AUTH_REVOCATIONS, revocation.username(), codec.encodeRecord(revocation)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user's new weight in the transcribe queue, as upload-service's outbox publishes it. */
    public void send(PriorityChanged priority) {
        try {
            producer.send(new ProducerRecord<>(
                            Topics.ACCOUNT_PRIORITIES, priority.username(), codec.encodeRecord(priority)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An API key issued or revoked, as upload-service's outbox publishes it. */
    public void send(ApiKeyChanged change) {
        try {
            producer.send(EventRecords.record(
                            Topics.AUTH_API_KEYS,
                            null,
                            change.keyId().toString(),
                            ApiKeyChanged.TYPE,
                            codec.encodeRecord(change)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transcribe instance's engine choice, as it announces it when it has started. */
    public void send(EngineChosen chosen) {
        try {
            producer.send(EventRecords.record(
                            Topics.OPS_ENGINES, null, chosen.instance(), EngineChosen.TYPE, codec.encodeRecord(chosen)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the events of a topic that match {@code filter} number at least {@code count},
     * and returns those seen by then. It proves that something happened, never that nothing more
     * did: for "exactly once", wait for {@link Settled} and then read {@link #all}.
     */
    public <T extends HarkEvent> List<T> await(
            String topic, Class<T> type, Predicate<T> filter, int count, Duration timeout) {
        return decode(awaitRecords(topic, matching(type, filter), count, timeout), type);
    }

    /**
     * As {@link #await}, for a topic of records that are not a job's events ({@link EngineChosen},
     * {@link TokensRevoked}...), which are read as their topic says, not by a type header.
     */
    public <R extends Record> List<R> awaitRecordsOf(
            String topic, Class<R> type, Predicate<R> filter, int count, Duration timeout) {
        return awaitRecords(
                        topic,
                        record -> record.value() != null && filter.test(codec.decodeRecord(record.value(), type)),
                        count,
                        timeout)
                .stream()
                .map(record -> codec.decodeRecord(record.value(), type))
                .toList();
    }

    /** The records themselves, headers included (a dead letter's reason, say). */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(
            String topic, Predicate<ConsumerRecord<String, byte[]>> filter, int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = fromBeginning(topic, timeout)) {
            while (Instant.now().isBefore(deadline)) {
                collect(consumer, filter, found);
                if (found.size() >= count) {
                    return found;
                }
            }
        }
        throw new AssertionError("Expected " + count + " matching records on " + topic + " within " + timeout
                + " but saw " + found.stream().map(this::describe).toList());
    }

    /** An event as the job topics carry it, else the record's type and text. */
    private String describe(ConsumerRecord<String, byte[]> record) {
        try {
            return EventRecords.decode(codec, record).toString();
        } catch (RuntimeException notAJobEvent) {
            return EventRecords.typeOf(record) + " "
                    + (record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    /** Every matching event on the topic now, from its beginning to its end. */
    public <T extends HarkEvent> List<T> all(String topic, Class<T> type, Predicate<T> filter) {
        return decode(allRecords(topic, matching(type, filter)), type);
    }

    /** Every matching record on the topic now, headers included. */
    public List<ConsumerRecord<String, byte[]>> allRecords(
            String topic, Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = fromBeginning(topic, Duration.ofSeconds(30))) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                collect(consumer, filter, found);
            }
        }
        return found;
    }

    private <T extends HarkEvent> Predicate<ConsumerRecord<String, byte[]>> matching(
            Class<T> type, Predicate<T> filter) {
        return record -> {
            HarkEvent event = EventRecords.decode(codec, record);
            return type.isInstance(event) && filter.test(type.cast(event));
        };
    }

    private <T extends HarkEvent> List<T> decode(List<ConsumerRecord<String, byte[]>> records, Class<T> type) {
        return records.stream()
                .map(record -> type.cast(EventRecords.decode(codec, record)))
                .toList();
    }

    /**
     * A consumer of every partition of the topic, at its beginning. No consumer group: the probe
     * never waits for a group coordinator (on a fresh broker that can take a while to be ready).
     */
    private KafkaConsumer<String, byte[]> fromBeginning(String topic, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void collect(
            KafkaConsumer<String, byte[]> consumer,
            Predicate<ConsumerRecord<String, byte[]>> filter,
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
