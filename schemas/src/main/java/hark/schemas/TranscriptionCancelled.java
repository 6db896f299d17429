package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The node's owner (or an admin) cancelled a job that had not ended: no stage does more work
 * for it and its intermediate files go. The recording itself stays, so it can be retried.
 */
public record TranscriptionCancelled(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, String cancelledBy)
        implements HarkEvent {

    public static TranscriptionCancelled of(UUID jobId, long nodeId, String cancelledBy) {
        return new TranscriptionCancelled(
                EventIds.of(jobId, "cancelled"), jobId, nodeId, Instant.now(), SCHEMA_VERSION, cancelledBy);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.transcriptionCancelled(this);
    }
}
