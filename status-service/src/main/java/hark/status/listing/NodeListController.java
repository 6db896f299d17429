package hark.status.listing;

import hark.platform.security.Caller;
import hark.platform.web.ApiException;
import hark.status.InFlightPerUser;
import hark.status.StatusProperties;
import hark.status.view.JobStatus;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
 * Each node shows its latest job (a retry is a new job). With {@code q}, only the caller's notes
 * whose transcript or title has the words, best match first.
 */
@RestController
public class NodeListController {

    private static final int MAX_SIZE = 100;
    static final int MAX_QUERY = 200;

    private final NodeSearch nodes;
    private final InFlightPerUser searches;

    public NodeListController(NodeSearch nodes, StatusProperties props) {
        this.nodes = nodes;
        // A search of every note may read each transcript's words; a user firing many at once would
        // keep the database busy for everyone. A list without words is cheap, and not counted.
        this.searches = new InFlightPerUser(
                props.searchesPerUser(),
                "Too many searches at once: at most " + props.searchesPerUser()
                        + " at a time. Wait for the last one to answer.");
    }

    @GetMapping("/api/nodes")
    @ApiResponse(
            responseCode = "200",
            description = "A page of the caller's notes.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodePage.class)))
    @ApiResponse(responseCode = "429", description = "Too many searches of this user running at once.")
    public Mono<NodePage> list(
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size,
            @RequestParam(required = false) String status,
            @Parameter(
                            description =
                                    "Words to find in the transcript or the title (1 to 200 characters): all of them,"
                                            + " a \"quoted phrase\", this or that, -word (without it).")
                    @RequestParam(required = false)
                    String q) {
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
        String query = q == null ? null : searchWords(q);
        // The offset is a long: page * size of a huge page number would overflow an int.
        long offset = (long) page * size;
        if (offset > Integer.MAX_VALUE) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "page is too large"));
        }
        return Caller.current().flatMap(caller -> {
            Mono<NodePage> answer = nodes.page(caller.userId(), query, only.orElse(null), (int) offset, size)
                    .collectList()
                    .zipWith(
                            nodes.count(caller.userId(), query, only.orElse(null)),
                            (items, total) -> new NodePage(items, page, size, total));
            return query == null
                    ? answer
                    : searches.run(caller.userId(), answer.flux()).single();
        });
    }

    /**
     * The search words, trimmed; control characters (a NUL would fail the query) count as spaces.
     * Anything else goes to websearch_to_tsquery, which reads every string without a syntax error.
     */
    static String searchWords(String q) {
        StringBuilder words = new StringBuilder();
        q.codePoints()
                .forEach(c -> words.appendCodePoint(
                        Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.SURROGATE
                                ? ' '
                                : c));
        String query = words.toString().strip();
        if (query.isEmpty() || query.codePointCount(0, query.length()) > MAX_QUERY) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "q must be between 1 and " + MAX_QUERY + " characters of words to find");
        }
        return query;
    }
}
