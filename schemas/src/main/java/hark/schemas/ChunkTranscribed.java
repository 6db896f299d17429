package hark.schemas;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The text of one chunk; segment times are already shifted to the recording's timeline. */
public record ChunkTranscribed(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion,
        int chunkIndex, int chunkCount, double startSeconds, double endSeconds, String text,
        String engine, List<TimedText> segments) implements HarkEvent {

    public ChunkTranscribed {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    public static ChunkTranscribed of(ChunkReady chunk, String text, String engine, List<TimedText> segments) {
        return new ChunkTranscribed(EventIds.of(chunk.jobId(), "transcribed", chunk.chunkIndex()),
                chunk.jobId(), chunk.nodeId(), Instant.now(), SCHEMA_VERSION, chunk.chunkIndex(),
                chunk.chunkCount(), chunk.startSeconds(), chunk.endSeconds(), text, engine, segments);
    }
}
