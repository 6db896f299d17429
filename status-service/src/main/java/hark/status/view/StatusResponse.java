package hark.status.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The original design's status answer, plus the stage, the chunk counts, an estimate of the time left from
 * the job's own pace, the text of the chunks finished so far, and the language heard when the engine
 * says (null otherwise).
 */
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
        @JsonProperty("chunks_done") int chunksDone,
        @JsonProperty("queue_position") Integer queuePosition,
        @JsonProperty("eta_seconds") Long etaSeconds,
        @JsonProperty("partial_content") String partialContent,
        String language) {

    /** What the job is doing right now, in words; present while it is being worked on. */
    public record TaskInfo(String stage, int progress, String message) {}

    public static StatusResponse of(TranscriptionView v, OffsetDateTime now) {
        boolean completed = v.status() == JobStatus.COMPLETED;
        boolean processing = v.status() == JobStatus.PROCESSING;
        TaskInfo info = processing ? new TaskInfo(v.stage(), v.progress(), message(v)) : null;
        return new StatusResponse(
                v.nodeId(),
                v.status().api(),
                v.progress(),
                v.error(),
                v.startedAt(),
                v.completedAt(),
                completed ? v.content() : null,
                info,
                v.stage(),
                v.chunksTotal(),
                v.chunksDone(),
                processing && "queued".equals(v.stage()) ? v.queuePosition() : null,
                completed ? Long.valueOf(0) : processing ? eta(v, now) : null,
                processing ? v.partialContent() : null,
                v.language());
    }

    /**
     * Time left at this job's own pace: the chunks finished so far took so long from the moment
     * chunks were ready, so the rest will take as long again per chunk — chunks that finish side
     * by side lower the time per chunk, so parallel work is counted. Unknown before a chunk is done.
     */
    static Long eta(TranscriptionView v, OffsetDateTime now) {
        if (v.chunksTotal() == null
                || v.chunksDone() == 0
                || v.transcribeStartedAt() == null
                || v.lastChunkAt() == null) {
            return null;
        }
        int left = v.chunksTotal() - v.chunksDone();
        if (left <= 0) {
            return 1L; // assembling
        }
        double perChunk = seconds(v.transcribeStartedAt(), v.lastChunkAt()) / v.chunksDone();
        double remaining = perChunk * left - seconds(v.lastChunkAt(), now);
        return Math.max(1L, (long) Math.ceil(remaining));
    }

    private static double seconds(OffsetDateTime from, OffsetDateTime to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    private static String message(TranscriptionView v) {
        if (v.stage() == null) {
            return "Working";
        }
        switch (v.stage()) {
            case "prep":
                return "Preparing audio";
            case "chunk":
                return "Splitting the recording";
            case "queued":
                return "Waiting for a free transcriber"
                        + (v.queuePosition() == null
                                ? ""
                                : v.queuePosition() == 1
                                        ? ": next in line"
                                        : ": " + (v.queuePosition() - 1) + " ahead");
            case "transcribe":
                return v.chunksTotal() == null || v.chunksTotal() <= 1
                        ? "Transcribing"
                        : "Transcribing: " + v.chunksDone() + " of " + v.chunksTotal() + " chunks done";
            case "assemble":
                return "Assembling the transcript";
            default:
                return "Working";
        }
    }
}
