package hark.status.replay;

import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.EventRecords;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Puts the dead letters of one topic back on the topic they came from, once the cause of their
 * failure is fixed. Each record goes back to the partition it failed on, after a
 * {@link DeadLetterReplayed} that reopens its failed job in the views. A dead letter is replayed
 * once: a second replay of the topic sends only letters that arrived since (a record that fails
 * again is a new dead letter, so it can be replayed again). Stages skip an input they already
 * processed, so even a repeat costs nothing.
 */
@Component
public class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(30);

    private final ConsumerFactory<String, byte[]> consumers;
    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final EventPublisher publisher;
    private final DatabaseClient db;

    public DeadLetterReplay(
            ConsumerFactory<String, byte[]> consumers,
            KafkaTemplate<String, byte[]> kafka,
            EventCodec codec,
            EventPublisher publisher,
            DatabaseClient db) {
        this.consumers = consumers;
        this.kafka = kafka;
        this.codec = codec;
        this.publisher = publisher;
        this.db = db;
    }

    /** The dead-letter topics there are, for a person who named another. */
    public static List<String> deadLetterTopics() {
        return Topics.ALL.stream().map(Topics::deadLetter).toList();
    }

    /**
     * @param deadLetterTopic one of {@link #deadLetterTopics()}
     * @param nodeId          only this node's letters, when not null
     * @param jobId           only this job's letters, when not null
     */
    public ReplaySummary replay(String deadLetterTopic, Long nodeId, UUID jobId) {
        if (!deadLetterTopics().contains(deadLetterTopic)) {
            throw new IllegalArgumentException("Not a dead-letter topic: " + deadLetterTopic);
        }
        String source = deadLetterTopic.substring(0, deadLetterTopic.length() - ".dlt".length());
        int replayed = 0;
        int already = 0;
        int unreadable = 0;
        int erased = 0;
        Set<UUID> jobs = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> letter : readAll(deadLetterTopic)) {
            HarkEvent event;
            try {
                event = EventRecords.decode(codec, letter);
            } catch (RuntimeException e) {
                unreadable++;
                continue;
            }
            if ((nodeId != null && event.nodeId() != nodeId)
                    || (jobId != null && !event.jobId().equals(jobId))) {
                continue;
            }
            if (isErased(event.nodeId())) {
                erased++; // its owner erased it: no stage works on it again
                continue;
            }
            if (wasReplayed(letter)) {
                already++;
                continue;
            }
            publisher.publish(DeadLetterReplayed.of(
                    event.jobId(), event.nodeId(), letter.topic(), letter.partition(), letter.offset()));
            send(putBack(source, letter));
            remember(letter, event.jobId());
            replayed++;
            jobs.add(event.jobId());
        }
        log.info(
                "Replayed {} dead letters of {} to {} ({} replayed before, {} unreadable, {} of erased nodes);"
                        + " jobs {}",
                replayed,
                deadLetterTopic,
                source,
                already,
                unreadable,
                erased,
                jobs);
        return new ReplaySummary(deadLetterTopic, source, replayed, already, unreadable, erased, List.copyOf(jobs));
    }

    /** The original record again: same key, value, partition and event type, none of the failure headers. */
    private static ProducerRecord<String, byte[]> putBack(String source, ConsumerRecord<String, byte[]> letter) {
        Header type = letter.headers().lastHeader(EventCodec.TYPE_HEADER);
        return EventRecords.record(
                source,
                letter.partition(),
                letter.key(),
                new String(type.value(), StandardCharsets.UTF_8),
                letter.value());
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the replayed record on " + record.topic(), e);
        }
    }

    private boolean wasReplayed(ConsumerRecord<String, byte[]> letter) {
        return Boolean.TRUE.equals(db.sql("SELECT EXISTS (SELECT 1 FROM status.replayed_dead_letters"
                        + " WHERE topic = :topic AND partition_no = :partition AND record_offset = :offset)")
                .bind("topic", letter.topic())
                .bind("partition", letter.partition())
                .bind("offset", letter.offset())
                .map(row -> row.get(0, Boolean.class))
                .one()
                .block());
    }

    private boolean isErased(long nodeId) {
        return Boolean.TRUE.equals(db.sql("SELECT EXISTS (SELECT 1 FROM status.erased_nodes WHERE node_id = :node)")
                .bind("node", nodeId)
                .map(row -> row.get(0, Boolean.class))
                .one()
                .block());
    }

    private void remember(ConsumerRecord<String, byte[]> letter, UUID jobId) {
        db.sql("INSERT INTO status.replayed_dead_letters (topic, partition_no, record_offset, job_id)"
                        + " VALUES (:topic, :partition, :offset, :job) ON CONFLICT DO NOTHING")
                .bind("topic", letter.topic())
                .bind("partition", letter.partition())
                .bind("offset", letter.offset())
                .bind("job", jobId)
                .then()
                .block();
    }

    /**
     * Every record of the topic up to its current end. Dead letters are few (each is a failed
     * job's input), so they are held in memory; the topic is read without a consumer group.
     */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "hark-replay", null, overrides)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                int before = records.size();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
                if (records.size() > before) {
                    deadline = System.nanoTime() + STALL_LIMIT.toNanos();
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Reading " + topic + " brought nothing for " + STALL_LIMIT.toSeconds() + " s");
                }
            }
        }
        return records;
    }
}
