package hark.transcribe.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many transcribe consumers there are now, across every process: the members of the transcribe
 * stage's consumer group, as the broker knows them (asked at most every few seconds). Scaling the
 * consumers changes it, with no setting to change.
 */
public class TranscribeConsumers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TranscribeConsumers.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Admin admin;
    private final String group;
    private final int partitions;
    private int known;
    private Instant askedAt = Instant.MIN;

    /** @param partitions the chunk topic's: a consumer beyond them gets no partition and no work */
    public TranscribeConsumers(Map<String, Object> adminConfig, String group, int partitions) {
        this.admin = Admin.create(adminConfig);
        this.group = group;
        this.partitions = partitions;
    }

    public synchronized int count() {
        if (Instant.now().isAfter(askedAt.plus(FRESH))) {
            try {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(5, TimeUnit.SECONDS)
                        .get(group);
                // Every member, assigned yet or not: a chunk put on the partition of a member that
                // is still joining waits moments; one kept back for it would wait a whole round.
                known = Math.min(partitions, description.members().size());
                askedAt = Instant.now();
            } catch (Exception brokerAway) {
                // The last count stands until the broker answers again.
                log.debug("Transcribe consumers not counted: {}", brokerAway.toString());
            }
        }
        return known;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
