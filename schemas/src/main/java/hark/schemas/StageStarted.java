package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/** A stage began real work on a job, so the job is no longer waiting in a queue. */
public record StageStarted(UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, String stage)
        implements HarkEvent {

    public static StageStarted of(UUID jobId, long nodeId, String stage) {
        return new StageStarted(
                EventIds.of(jobId, "started", stage), jobId, nodeId, Instant.now(), SCHEMA_VERSION, stage);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.stageStarted(this);
    }
}
