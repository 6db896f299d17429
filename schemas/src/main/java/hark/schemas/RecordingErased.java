package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The owner or an admin erased a recording: every service removes what it holds of the node — its
 * files, its rows, its transcript — and does no more work for any of its jobs. A job still running
 * stops as if cancelled. {@code jobId} is the node's latest job (events are keyed by job); the
 * services erase by {@code nodeId}, which covers earlier jobs of the node as well.
 *
 * @param audioPath the original recording's place in storage, which the uploading service removes
 */
public record RecordingErased(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, String audioPath, String erasedBy)
        implements HarkEvent {

    public static RecordingErased of(UUID jobId, long nodeId, String audioPath, String erasedBy) {
        return new RecordingErased(
                EventIds.of(jobId, "erased"), jobId, nodeId, Instant.now(), SCHEMA_VERSION, audioPath, erasedBy);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.recordingErased(this);
    }
}
