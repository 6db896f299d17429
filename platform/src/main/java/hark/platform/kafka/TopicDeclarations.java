package hark.platform.kafka;

import hark.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Every topic and its dead-letter topic (the revocations' own are in the security configuration), created on start (the broker does not auto-create). */
public final class TopicDeclarations {

    private TopicDeclarations() {}

    public static KafkaAdmin.NewTopics all(HarkKafkaProperties props) {
        List<NewTopic> topics = new ArrayList<>();
        String events = HarkKafkaProperties.Retention.millis(props.retention().events());
        String deadLetters =
                HarkKafkaProperties.Retention.millis(props.retention().deadLetters());
        for (String topic : Topics.ALL) {
            int partitions = Topics.AUDIO_CHUNKS.equals(topic) ? props.chunkPartitions() : props.partitions();
            topics.add(TopicBuilder.name(topic)
                    .partitions(partitions)
                    .replicas(props.replication())
                    .config(TopicConfig.RETENTION_MS_CONFIG, events)
                    .build());
            // Same partition count, so a dead letter keeps the partition of its source record.
            topics.add(TopicBuilder.name(Topics.deadLetter(topic))
                    .partitions(partitions)
                    .replicas(props.replication())
                    .config(TopicConfig.RETENTION_MS_CONFIG, deadLetters)
                    .build());
        }
        // Every user's latest weight, for as long as Hark runs: compacted, not expired.
        topics.add(TopicBuilder.name(Topics.ACCOUNT_PRIORITIES)
                .partitions(1)
                .replicas(props.replication())
                .compact()
                .build());
        topics.add(TopicBuilder.name(Topics.deadLetter(Topics.ACCOUNT_PRIORITIES))
                .partitions(1)
                .replicas(props.replication())
                .config(TopicConfig.RETENTION_MS_CONFIG, deadLetters)
                .build());
        // Each transcribe instance's engine, for the admin overview: compacted, so the last choice
        // of every instance stays. Declared here, for every service rather than only the one that
        // writes it, so status-service finds the topic it follows whichever starts first. No
        // dead-letter topic: no consumer group reads it, so nothing is ever dead-lettered from it.
        topics.add(TopicBuilder.name(Topics.OPS_ENGINES)
                .partitions(1)
                .replicas(props.replication())
                .compact()
                .build());
        topics.add(TopicBuilder.name(Topics.ACCOUNT_ERASURES)
                .partitions(1)
                .replicas(props.replication())
                .config(TopicConfig.RETENTION_MS_CONFIG, events)
                .build());
        topics.add(TopicBuilder.name(Topics.deadLetter(Topics.ACCOUNT_ERASURES))
                .partitions(1)
                .replicas(props.replication())
                .config(TopicConfig.RETENTION_MS_CONFIG, deadLetters)
                .build());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}
