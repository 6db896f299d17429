package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/** One piece of a recording, ready to transcribe; times are seconds from the recording's start. */
public record ChunkReady(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        int chunkIndex,
        int chunkCount,
        String chunkPath,
        double startSeconds,
        double endSeconds)
        implements HarkEvent {

    public static ChunkReady of(
            UUID jobId,
            long nodeId,
            int chunkIndex,
            int chunkCount,
            String chunkPath,
            double startSeconds,
            double endSeconds) {
        return new ChunkReady(
                EventIds.of(jobId, "chunk", chunkIndex),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                chunkIndex,
                chunkCount,
                chunkPath,
                startSeconds,
                endSeconds);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.chunkReady(this);
    }
}
