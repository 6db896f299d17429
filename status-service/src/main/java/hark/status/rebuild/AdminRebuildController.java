package hark.status.rebuild;

import hark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rebuilds the status view from the topics; answers when the new view is in place.
 *
 * <p>Admin only. The role is not checked here: the platform's security rules give every path
 * under {@code /api/admin} to the admin role, so this endpoint is guarded like its siblings.
 */
@RestController
public class AdminRebuildController {

    private static final Logger log = LoggerFactory.getLogger(AdminRebuildController.class);

    private final RebuildStatusView rebuild;

    public AdminRebuildController(RebuildStatusView rebuild) {
        this.rebuild = rebuild;
    }

    @ApiResponse(
            responseCode = "200",
            description = "The new view is in place.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RebuildSummary.class)))
    @ApiResponse(responseCode = "409", description = "A rebuild is already running.")
    @PostMapping("/api/admin/rebuild-status")
    public Mono<RebuildSummary> rebuildStatus() {
        // Blocking work (Kafka reads, a block per folded record): never on an event-loop thread.
        return Mono.fromCallable(rebuild::rebuild)
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(RebuildRefused.class, e -> new ApiException(HttpStatus.CONFLICT, e.getMessage()))
                .onErrorMap(e -> !(e instanceof ApiException), e -> {
                    log.error("Rebuild of the status view failed", e);
                    // The operator ran this on purpose and wants the reason, not a generic 500.
                    return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "The rebuild failed: " + e.getMessage());
                });
    }
}
