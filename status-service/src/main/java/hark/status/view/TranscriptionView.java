package hark.status.view;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the view: one job of a node, with the text of its chunks finished so far.
 *
 * @param partialContent the finished chunks' text in order, a gap shown as "…"; null before any
 * @param queuePosition  while waiting for a transcribe consumer (stage "queued"): jobs served first
 * @param language       the language the engine heard, when it says (a code such as "de"); else null
 */
public record TranscriptionView(
        UUID jobId,
        long nodeId,
        String userId,
        JobStatus status,
        String stage,
        int progress,
        String error,
        String content,
        Integer chunksTotal,
        int chunksDone,
        OffsetDateTime uploadedAt,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt,
        OffsetDateTime transcribeStartedAt,
        OffsetDateTime lastChunkAt,
        String partialContent,
        Integer queuePosition,
        String language) {

    public boolean isFinal() {
        return status.isFinal();
    }
}
