package hark.status.view;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of the view: the latest job of a node. */
public record TranscriptionView(UUID jobId, long nodeId, String status, String stage, int progress, String error,
                                String content, Integer chunksTotal, int chunksDone, OffsetDateTime startedAt,
                                OffsetDateTime completedAt) {
}
