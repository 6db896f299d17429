package hark.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param partitions      partitions of every topic but the chunk topic: the most consumers of one
 *                        stage that can work at once
 * @param chunkPartitions partitions of the chunk topic, the most transcribe consumers that can work
 *                        at once across all processes; a job's chunks are spread over them
 * @param replication replication factor of every topic
 * @param groupPrefix prefix of every consumer group, {@code <prefix>-<stage>}
 * @param retry       how a stage retries a record before it goes to the dead letter topic
 */
@ConfigurationProperties("hark.kafka")
public record HarkKafkaProperties(int partitions, int chunkPartitions, short replication, String groupPrefix, Retry retry) {

    /** @param attempts total tries of one record, the first included */
    public record Retry(int attempts, Duration initialInterval, Duration maxInterval) {
    }
}
