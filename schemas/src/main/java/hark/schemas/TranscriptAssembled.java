package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/** Every chunk is in: the job's transcript, chunks in order with a blank line between them. */
public record TranscriptAssembled(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion,
        String text, int chunkCount, String engine) implements HarkEvent {

    public static TranscriptAssembled of(UUID jobId, long nodeId, String text, int chunkCount, String engine) {
        return new TranscriptAssembled(EventIds.of(jobId, "assembled"), jobId, nodeId, Instant.now(),
                SCHEMA_VERSION, text, chunkCount, engine);
    }
}
