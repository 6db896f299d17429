package hark.status.rebuild;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their beginning up to given end offsets and hands the records over in
 * one merged order: by record timestamp, across all partitions.
 *
 * <p>Why merge at all: the projection is not indifferent to order across topics. A chunk that
 * arrives after the job's completion no longer counts ({@code chunks_done} stays where it was),
 * and every fold writes a {@code changes} entry in the order it happens. The live listener saw
 * the records roughly as they were appended; a plain poll returns them grouped by partition (all
 * of {@code transcript.assembled} before {@code transcript.chunks}, say), which would build a
 * different view. Timestamps are the producers' send times, so this order is the append order
 * up to clock skew between producers; equal timestamps fall back to topic, partition, offset.
 *
 * <p>Memory stays bounded: a partition is paused once it has {@link #BUFFERED} records waiting.
 */
final class LogReplay {

    static final Comparator<ConsumerRecord<String, byte[]>> LOG_ORDER =
            Comparator.<ConsumerRecord<String, byte[]>>comparingLong(ConsumerRecord::timestamp)
                    .thenComparing(ConsumerRecord::topic)
                    .thenComparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset);

    private static final int BUFFERED = 200;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> end;
    private final Duration stallLimit;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> buffers = new HashMap<>();
    /** Partitions whose records up to the end offset have not all been fetched yet. */
    private final Set<TopicPartition> unfetched = new HashSet<>();

    /**
     * @param consumer   has exactly the partitions of {@code end} assigned, and no group
     * @param end        the offset to stop before, per partition (the end offsets seen at the start)
     * @param stallLimit how long fetching may bring nothing before the replay gives up
     */
    LogReplay(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end, Duration stallLimit) {
        this.consumer = consumer;
        this.end = end;
        this.stallLimit = stallLimit;
    }

    /** Calls {@code action} for every record below the end offsets, in log order; returns how many. */
    long forEach(java.util.function.Consumer<ConsumerRecord<String, byte[]>> action) {
        consumer.seekToBeginning(end.keySet());
        for (TopicPartition partition : end.keySet()) {
            buffers.put(partition, new ArrayDeque<>());
            if (consumer.position(partition) < end.get(partition)) {
                unfetched.add(partition);
            }
        }
        long handed = 0;
        while (true) {
            // A record may only go out once every partition that still has records to come shows
            // its next one: an unseen partition could hold an earlier record.
            while (unfetched.stream().anyMatch(p -> buffers.get(p).isEmpty())) {
                fetch();
            }
            ArrayDeque<ConsumerRecord<String, byte[]>> first = null;
            for (ArrayDeque<ConsumerRecord<String, byte[]>> buffer : buffers.values()) {
                if (!buffer.isEmpty() && (first == null || LOG_ORDER.compare(buffer.peek(), first.peek()) < 0)) {
                    first = buffer;
                }
            }
            if (first == null) {
                return handed;
            }
            action.accept(first.poll());
            handed++;
        }
    }

    private void fetch() {
        List<TopicPartition> wanted =
                unfetched.stream().filter(p -> buffers.get(p).size() < BUFFERED).toList();
        List<TopicPartition> resting =
                end.keySet().stream().filter(p -> !wanted.contains(p)).toList();
        consumer.pause(resting);
        consumer.resume(wanted);
        long deadline = System.nanoTime() + stallLimit.toNanos();
        while (true) {
            int before = unfetched.size();
            int added = 0;
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                // Records appended after the rebuild began are the live listener's, once it resumes.
                if (record.offset() < end.get(partition)) {
                    buffers.get(partition).add(record);
                    added++;
                }
            }
            // The position, not the last record, decides: transaction markers take offsets too.
            unfetched.removeIf(p -> consumer.position(p) >= end.get(p));
            if (added > 0 || unfetched.size() < before) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Reading the topics brought nothing for " + stallLimit.toSeconds()
                        + " s; still to read: " + unfetched);
            }
        }
    }
}
