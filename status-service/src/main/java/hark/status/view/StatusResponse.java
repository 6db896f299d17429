package hark.status.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;

/** The seed's status answer, plus the stage and chunk counts. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusResponse(
        @JsonProperty("node_id") long nodeId,
        String status,
        int progress,
        String error,
        @JsonProperty("started_at") OffsetDateTime startedAt,
        @JsonProperty("completed_at") OffsetDateTime completedAt,
        String content,
        @JsonProperty("task_info") TaskInfo taskInfo,
        String stage,
        @JsonProperty("chunks_total") Integer chunksTotal,
        @JsonProperty("chunks_done") int chunksDone) {

    /** What the job is doing right now, in words; present while it is being worked on. */
    public record TaskInfo(String stage, int progress, String message) {
    }

    static StatusResponse of(TranscriptionView v) {
        boolean completed = "completed".equals(v.status());
        TaskInfo info = "processing".equals(v.status()) ? new TaskInfo(v.stage(), v.progress(), message(v)) : null;
        return new StatusResponse(v.nodeId(), v.status(), v.progress(), v.error(), v.startedAt(), v.completedAt(),
                completed ? v.content() : null, info, v.stage(), v.chunksTotal(), v.chunksDone());
    }

    private static String message(TranscriptionView v) {
        if (v.stage() == null) {
            return "Working";
        }
        return switch (v.stage()) {
            case "prep" -> "Preparing audio";
            case "chunk" -> "Splitting the recording";
            case "transcribe" -> v.chunksTotal() == null || v.chunksTotal() <= 1 ? "Transcribing"
                    : "Transcribing: " + v.chunksDone() + " of " + v.chunksTotal() + " chunks done";
            case "assemble" -> "Assembling the transcript";
            default -> "Working";
        };
    }
}
