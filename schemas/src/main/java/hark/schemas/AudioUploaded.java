package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/** A recording was stored and its node created; the job starts here. */
public record AudioUploaded(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String userId,
        String audioPath,
        String mimeType,
        long sizeBytes)
        implements HarkEvent {

    public static AudioUploaded of(
            UUID jobId, long nodeId, String userId, String audioPath, String mimeType, long sizeBytes) {
        return new AudioUploaded(
                EventIds.of(jobId, "uploaded"),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                userId,
                audioPath,
                mimeType,
                sizeBytes);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.audioUploaded(this);
    }
}
