package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The job's chunks wait for a transcribe consumer: other jobs hold them all, and {@code position}
 * jobs (this one included) will get one before it does as the consumers are dealt out now. Said
 * again when the position changes; the job's {@code StageStarted("transcribe")} ends the wait.
 */
public record JobQueued(UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, int position)
        implements HarkEvent {

    public static JobQueued of(UUID jobId, long nodeId, int position) {
        return new JobQueued(
                EventIds.of(jobId, "queued", position), jobId, nodeId, Instant.now(), SCHEMA_VERSION, position);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.jobQueued(this);
    }
}
