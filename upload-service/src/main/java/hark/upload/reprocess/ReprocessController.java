package hark.upload.reprocess;

import com.fasterxml.jackson.annotation.JsonProperty;
import hark.platform.security.Caller;
import hark.platform.storage.Disk;
import hark.platform.storage.Storage;
import hark.platform.web.ApiException;
import hark.upload.audio.UploadAllowance;
import hark.upload.node.Node;
import hark.upload.node.NodeRepository;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Transcribes stored recordings again (after switching engine, say) by starting a new job for
 * each, exactly as a retry does. Safe beside live traffic: each node switches to its new job in
 * its own transaction with the job's event, a node whose job is running is left alone, and a
 * node keeps its transcript until the new one replaces it.
 */
@RestController
public class ReprocessController {

    private final NodeRepository nodes;
    private final Storage storage;

    private final UploadAllowance allowance;

    public ReprocessController(NodeRepository nodes, Storage storage, UploadAllowance allowance) {
        this.nodes = nodes;
        this.storage = storage;
        this.allowance = allowance;
    }

    /** @param since a date ({@code 2026-11-01}, midnight UTC) or a date-time with offset */
    public record ReprocessRequest(Boolean all, String since) {}

    public record ReprocessSummary(
            int requested,
            @JsonProperty("skipped_running") int skippedRunning,
            @JsonProperty("skipped_missing_audio") int skippedMissingAudio) {}

    private enum Outcome {
        REQUESTED,
        RUNNING,
        MISSING_AUDIO
    }

    @ApiResponse(
            responseCode = "200",
            description = "A new job for each stored recording that was not running.",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ReprocessSummary.class)))
    @ApiResponse(responseCode = "429", description = "Too many uploads a minute; see Retry-After.")
    @PostMapping("/api/admin/reprocess")
    public Mono<ReprocessSummary> reprocess(@RequestBody ReprocessRequest request) {
        OffsetDateTime since = since(request);
        // Each call counts as one upload of the admin who makes it.
        return Caller.current()
                .flatMap(caller -> allowance.take(caller.userId()))
                .thenMany(nodes.reprocessable(since))
                .concatMap(id -> nodes.find(id).flatMap(this::reprocess))
                .collectList()
                .map(outcomes -> new ReprocessSummary(
                        count(outcomes, Outcome.REQUESTED),
                        count(outcomes, Outcome.RUNNING),
                        count(outcomes, Outcome.MISSING_AUDIO)));
    }

    private Mono<Outcome> reprocess(Node node) {
        return Disk.call(() -> storage.objects().exists(node.audioPath()))
                .flatMap(stored -> !stored
                        ? Mono.just(Outcome.MISSING_AUDIO)
                        : nodes.reprocess(node.id(), UUID.randomUUID())
                                .map(started -> Outcome.REQUESTED)
                                .defaultIfEmpty(Outcome.RUNNING));
    }

    private static int count(List<Outcome> outcomes, Outcome which) {
        return (int) outcomes.stream().filter(which::equals).count();
    }

    /** Exactly one of {@code all: true} and {@code since}: a reprocess of everything is never implied. */
    static OffsetDateTime since(ReprocessRequest request) {
        boolean all = Boolean.TRUE.equals(request.all());
        boolean dated = request.since() != null && !request.since().isBlank();
        if (all == dated) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "Say which recordings to reprocess: {\"all\": true} or {\"since\": \"2026-11-01\"}, not both");
        }
        if (all) {
            return null;
        }
        String value = request.since().strip();
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "since must be a date such as 2026-11-01 or a date-time" + " such as 2026-11-01T09:00:00Z, not \""
                            + value + "\"");
        }
    }
}
