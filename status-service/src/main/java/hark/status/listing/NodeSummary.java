package hark.status.listing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import java.util.List;

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
        @JsonProperty("completed_at") OffsetDateTime completedAt,

        @Schema(description = "The note's title; null when it has none.")
        String title,

        @Schema(description = "The recording's length in seconds, once it was measured.")
        @JsonProperty("duration_seconds")
        Double durationSeconds,

        @Schema(
                description =
                        "The transcript's first words (at most 160 characters, \"…\" when cut); the text so far while it is transcribed; null before there is any.")
        String preview,

        @Schema(
                description =
                        "With q: the passage that matched, as plain-text pieces, the words searched for marked; null without q.")
        List<SnippetPiece> snippet) {}
