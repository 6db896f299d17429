package hark.status.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import hark.platform.web.ApiException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Puts dead letters back on their source topic ({@code ./hark replay}). Admin only, like every
 * path under {@code /api/admin} (the platform's security rules).
 */
@RestController
public class AdminReplayController {

    private static final Logger log = LoggerFactory.getLogger(AdminReplayController.class);

    private final DeadLetterReplay replay;

    public AdminReplayController(DeadLetterReplay replay) {
        this.replay = replay;
    }

    /** @param topic a dead-letter topic such as {@code audio.chunks.dlt} */
    public record ReplayRequest(
            String topic,
            @JsonProperty("node_id") Long nodeId,
            @JsonProperty("job_id") UUID jobId) {}

    @PostMapping("/api/admin/replay")
    public Mono<ReplaySummary> replay(@RequestBody ReplayRequest request) {
        if (request.topic() == null
                || !DeadLetterReplay.deadLetterTopics().contains(request.topic().strip())) {
            return Mono.error(new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "topic must name a dead-letter topic, one of "
                            + String.join(", ", DeadLetterReplay.deadLetterTopics())));
        }
        // Kafka reads and acked sends: never on an event-loop thread.
        return Mono.fromCallable(() -> replay.replay(request.topic().strip(), request.nodeId(), request.jobId()))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(e -> !(e instanceof ApiException), e -> {
                    log.error("Replay of {} failed", request.topic(), e);
                    return new ApiException(
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            "The replay stopped: " + e.getMessage()
                                    + ". Letters replayed so far are recorded; running it again sends the rest.");
                });
    }
}
