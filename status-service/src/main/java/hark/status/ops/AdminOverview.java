package hark.status.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator looks at first: where the jobs are, how far each stage is behind, the job
 * running longest, how many jobs the watchdog had to fail, and what sits on the dead-letter topics.
 *
 * @param jobs         nodes by the status of their latest job
 * @param lag          records waiting per stage (name without the group prefix); a stage not yet
 *                     measured is missing
 * @param oldestRunning the processing job that started longest ago, or null
 * @param stalledTotal jobs this process's watchdog failed since it started
 * @param deadLetters  records per dead-letter topic; null when the broker could not be asked
 * @param work         jobs queued for a transcribe consumer or transcribing, with their owners
 * @param chunksLeftByUser chunks still to transcribe, per user: who holds the transcribe consumers
 * @param erasedRecordings recordings erased by their owners or an admin, ever: a count, never what they held
 * @param ffmpeg       the ffmpeg Hark runs (its version and path): HARK_FFMPEG chose it, and every
 *                     service image is built alike, so prep runs this one too
 * @param engines      the transcription engine of each transcribe instance and why it was chosen,
 *                     by instance name; an instance that has gone stays listed with the time it started
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AdminOverview(
        Map<String, Long> jobs,
        Map<String, Long> lag,
        @JsonProperty("oldest_running") OldestRunning oldestRunning,
        @JsonProperty("stalled_total") long stalledTotal,
        @JsonProperty("dead_letters") Map<String, Long> deadLetters,
        List<Work> work,
        @JsonProperty("chunks_left_by_user") Map<String, Long> chunksLeftByUser,
        @JsonProperty("erased_recordings") long erasedRecordings,
        String ffmpeg,
        List<Engine> engines) {

    /** As an {@code EngineChosen} said it, when the instance started ({@code chosen_at}). */
    public record Engine(
            String instance,
            String engine,
            String detail,
            String reason,
            @JsonProperty("chosen_at") Instant chosenAt) {}

    public record Work(
            @JsonProperty("user_id") String userId,
            @JsonProperty("job_id") UUID jobId,
            @JsonProperty("node_id") long nodeId,
            String stage,
            @JsonProperty("queue_position") Integer queuePosition,
            @JsonProperty("chunks_left") Integer chunksLeft) {}

    public record OldestRunning(
            @JsonProperty("job_id") UUID jobId,
            @JsonProperty("node_id") long nodeId,
            String status,
            String stage,
            @JsonProperty("started_at") OffsetDateTime startedAt,
            @JsonProperty("running_seconds") long runningSeconds) {}
}
