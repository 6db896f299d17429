package hark.platform.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;

/**
 * @param partitions      partitions of every topic but the chunk topic: the most consumers of one
 *                        stage that can work at once
 * @param chunkPartitions partitions of the chunk topic, the most transcribe consumers that can work
 *                        at once across all processes (the dispatcher puts one chunk on each)
 * @param replication replication factor of every topic
 * @param groupPrefix prefix of every consumer group, {@code <prefix>-<stage>}
 * @param retry       how a stage retries a record before it goes to the dead letter topic
 * @param retention   how long topics keep their records
 */
@ConfigurationProperties("hark.kafka")
public record HarkKafkaProperties(
        int partitions, int chunkPartitions, short replication, String groupPrefix, Retry retry, Retention retention) {

    /**
     * @param attempts      total tries of one record, the first included
     * @param outageMaxWait how long a stage keeps retrying a record while the broker or the database
     *                      is unreachable (see {@link hark.platform.Outages}) before the record
     *                      counts as failed; an outage does not spend {@code attempts}
     */
    public record Retry(int attempts, Duration initialInterval, Duration maxInterval, Duration outageMaxWait) {}

    /**
     * @param events      the event topics: the status view is rebuilt from them, so by default
     *                    they are kept for good ({@code forever}); a duration such as {@code 90d}
     *                    bounds them (a rebuild then refuses once records are gone)
     * @param deadLetters the dead-letter topics: long enough to notice and replay a failure
     */
    public record Retention(String events, String deadLetters) {

        public static final String FOREVER = "forever";

        /** Kafka's {@code retention.ms}: -1 keeps records for good. */
        static String millis(String value) {
            if (value == null || value.isBlank() || FOREVER.equalsIgnoreCase(value.strip())) {
                return "-1";
            }
            return Long.toString(DurationStyle.detectAndParse(value.strip()).toMillis());
        }
    }
}
