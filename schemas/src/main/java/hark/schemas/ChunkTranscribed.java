package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * One chunk is transcribed. Its text, with segment times already shifted to the recording's
 * timeline, is kept in storage at {@code textPath} (a claim check): the log holds no words.
 *
 * @param language the language the engine heard (a multilingual Whisper model), or null
 */
public record ChunkTranscribed(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        int chunkIndex,
        int chunkCount,
        double startSeconds,
        double endSeconds,
        String textPath,
        String engine,
        String language)
        implements HarkEvent {

    public static ChunkTranscribed of(ChunkReady chunk, String textPath, String engine, String language) {
        return new ChunkTranscribed(
                EventIds.of(chunk.jobId(), "transcribed", chunk.chunkIndex()),
                chunk.jobId(),
                chunk.nodeId(),
                Instant.now(),
                SCHEMA_VERSION,
                chunk.chunkIndex(),
                chunk.chunkCount(),
                chunk.startSeconds(),
                chunk.endSeconds(),
                textPath,
                engine,
                language);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.chunkTranscribed(this);
    }
}
