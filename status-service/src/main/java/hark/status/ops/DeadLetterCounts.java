package hark.status.ops;

import hark.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Records on each dead-letter topic: its end offsets minus its beginning offsets, so what retention
 * has already dropped is not counted. Blocking; callers run it off the event loop.
 */
public class DeadLetterCounts {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    public DeadLetterCounts(Admin admin) {
        this.admin = admin;
    }

    /** {@code <topic>.dlt} to its record count, in the order of {@link Topics#ALL}. */
    public Map<String, Long> count() throws Exception {
        List<String> topics = Topics.ALL.stream().map(Topics::deadLetter).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(
                        topics, new DescribeTopicsOptions().timeoutMs(timeoutMs()))
                .allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions
                .values()
                .forEach(topic -> topic.partitions().forEach(p -> {
                    TopicPartition partition = new TopicPartition(topic.name(), p.partition());
                    earliest.put(partition, OffsetSpec.earliest());
                    latest.put(partition, OffsetSpec.latest());
                }));
        Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(earliest);
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(latest);

        Map<String, Long> counts = new LinkedHashMap<>();
        topics.forEach(topic -> counts.put(topic, 0L));
        ends.forEach((partition, end) -> counts.merge(
                partition.topic(), end.offset() - starts.get(partition).offset(), Long::sum));
        return counts;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(Map<TopicPartition, OffsetSpec> specs) throws Exception {
        return admin.listOffsets(specs, new ListOffsetsOptions().timeoutMs(timeoutMs()))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int timeoutMs() {
        return (int) TIMEOUT.toMillis();
    }
}
