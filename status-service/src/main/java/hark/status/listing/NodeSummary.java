package hark.status.listing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import hark.status.view.TranscriptionView;
import java.time.OffsetDateTime;

/** A node in the list: enough to show a line of history; the full answer is one status call away. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeSummary(
        @JsonProperty("node_id") long nodeId,
        String status,
        int progress,
        String stage,
        String error,
        @JsonProperty("chunks_total") Integer chunksTotal,
        @JsonProperty("chunks_done") int chunksDone,
        @JsonProperty("uploaded_at") OffsetDateTime uploadedAt,
        @JsonProperty("completed_at") OffsetDateTime completedAt) {

    static NodeSummary of(TranscriptionView v) {
        return new NodeSummary(
                v.nodeId(),
                v.status().api(),
                v.progress(),
                v.stage(),
                v.error(),
                v.chunksTotal(),
                v.chunksDone(),
                v.uploadedAt(),
                v.completedAt());
    }
}
