package hark.status.listing;

import hark.platform.security.Caller;
import hark.platform.web.ApiException;
import hark.status.view.JobStatus;
import hark.status.view.StatusRepository;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The caller's recordings with their status, newest first, so that a page reload loses nothing
 * (an admin's list is their own too; the overview is where everyone's jobs are counted).
 * Each node shows its latest job (a retry is a new job).
 */
@RestController
public class NodeListController {

    private static final int MAX_SIZE = 100;

    private final StatusRepository views;

    public NodeListController(StatusRepository views) {
        this.views = views;
    }

    @GetMapping("/api/nodes")
    public Mono<NodePage> list(
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size,
            @RequestParam(required = false) String status) {
        if (page < 0) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "page must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "size must be between 1 and " + MAX_SIZE));
        }
        Optional<JobStatus> only = Optional.ofNullable(status).flatMap(JobStatus::ofApi);
        if (status != null && only.isEmpty()) {
            return Mono.error(new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "status must be one of "
                            + Arrays.stream(JobStatus.values())
                                    .map(JobStatus::api)
                                    .collect(Collectors.joining(", "))));
        }
        return Caller.current()
                .flatMap(caller -> views.forUser(caller.userId(), only.orElse(null), page * size, size)
                        .map(NodeSummary::of)
                        .collectList()
                        .zipWith(
                                views.countForUser(caller.userId(), only.orElse(null)),
                                (items, total) -> new NodePage(items, page, size, total)));
    }
}
