package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A dead letter of a failed job was put back on its source topic, so the job runs again where it
 * stopped. Its id names the dead letter, so replaying the same one twice is one event.
 */
public record DeadLetterReplayed(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String topic,
        int partition,
        long offset)
        implements HarkEvent {

    /** @param topic, partition, offset where the dead letter was (a {@code .dlt} topic) */
    public static DeadLetterReplayed of(UUID jobId, long nodeId, String topic, int partition, long offset) {
        return new DeadLetterReplayed(
                EventIds.of(jobId, "replayed", topic, partition, offset),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                topic,
                partition,
                offset);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deadLetterReplayed(this);
    }
}
