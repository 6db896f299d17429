package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A stage gave up on a job. {@code reason} is shown to the person as it is; {@code permanent}
 * says whether replaying the same input could ever succeed (bad audio: no; an outage: yes).
 */
public record StageFailed(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String stage,
        String reason,
        boolean permanent)
        implements HarkEvent {

    public static StageFailed of(UUID jobId, long nodeId, String stage, String reason, boolean permanent) {
        return of(jobId, nodeId, stage, reason, permanent, "");
    }

    /**
     * @param failedInput what failed (say, a record's topic, partition and offset): the same input
     *                    failing again is the same event, a replayed one failing again is a new one
     */
    public static StageFailed of(
            UUID jobId, long nodeId, String stage, String reason, boolean permanent, String failedInput) {
        return new StageFailed(
                EventIds.of(jobId, "failed", stage, failedInput),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                stage,
                reason,
                permanent);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.stageFailed(this);
    }
}
