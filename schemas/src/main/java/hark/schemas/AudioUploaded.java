package hark.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A recording was stored and its node created; the job starts here. A retry or reprocess announces
 * the node again with a new job, and with the node's title at that time.
 *
 * @param titlePath where the note's title is kept in storage (a claim check, as for transcripts:
 *     no words in the log), null when it has none (and in every event written before titles
 *     existed): left out of the document then, so older events read back exactly as they were written
 */
public record AudioUploaded(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String userId,
        String audioPath,
        String mimeType,
        long sizeBytes,
        @JsonInclude(JsonInclude.Include.NON_NULL) String titlePath)
        implements HarkEvent {

    public static AudioUploaded of(
            UUID jobId, long nodeId, String userId, String audioPath, String mimeType, long sizeBytes) {
        return of(jobId, nodeId, userId, audioPath, mimeType, sizeBytes, null);
    }

    public static AudioUploaded of(
            UUID jobId,
            long nodeId,
            String userId,
            String audioPath,
            String mimeType,
            long sizeBytes,
            String titlePath) {
        return new AudioUploaded(
                EventIds.of(jobId, "uploaded"),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                userId,
                audioPath,
                mimeType,
                sizeBytes,
                titlePath);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.audioUploaded(this);
    }
}
