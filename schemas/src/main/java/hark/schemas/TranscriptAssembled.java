package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * Every chunk is in: the job's transcript (chunks in order, a blank line between them) is kept in
 * storage at {@code textPath} (a claim check), never in the event.
 *
 * @param text null in every event written now; events written before the claim check (and the
 *             upload-service's backfill of the original design's transcripts) carry the text here,
 *             and readers still take it from there so an old log rebuilds as it did
 * @param language the language heard in most of the recording, when the engine said; else null
 */
public record TranscriptAssembled(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String textPath,
        int chunkCount,
        String engine,
        String text,
        String language)
        implements HarkEvent {

    public static TranscriptAssembled of(
            UUID jobId, long nodeId, String textPath, int chunkCount, String engine, String language) {
        return new TranscriptAssembled(
                EventIds.of(jobId, "assembled"),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                textPath,
                chunkCount,
                engine,
                null,
                language);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.transcriptAssembled(this);
    }
}
