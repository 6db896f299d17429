package hark.platform.openapi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole API's description behind the edge: fetched from each service's part on every request
 * (parts are small and asked for rarely, and a fresh fetch can never serve a stale union after a
 * service is redeployed) and joined with {@link ApiDocuments#merge}.
 */
final class MergedApiDocument {

    private static final Logger log = LoggerFactory.getLogger(MergedApiDocument.class);
    private static final Duration PART_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> parts;
    private final WebClient web;
    private final JsonMapper json;

    MergedApiDocument(List<String> parts, WebClient web, JsonMapper json) {
        this.parts = List.copyOf(parts);
        this.web = web;
        this.json = json;
    }

    RouterFunction<ServerResponse> route(String path) {
        return RouterFunctions.route().GET(path, this::answer).build();
    }

    private Mono<ServerResponse> answer(ServerRequest request) {
        return Flux.fromIterable(parts)
                .concatMap(this::fetch)
                .collectList()
                .map(ApiDocuments::merge)
                .flatMap(whole -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(json.writeValueAsString(whole)))
                .onErrorResume(e -> {
                    log.warn("Could not put the API description together: {}", e.toString());
                    // A functional route: the controllers' error advice does not reach it.
                    return ServerResponse.status(HttpStatus.BAD_GATEWAY)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of(
                                    "error",
                                    "The API description could not be put together: " + e.getMessage()
                                            + ". Each service's part is under /api/openapi/."));
                });
    }

    private Mono<JsonNode> fetch(String url) {
        return web.get()
                .uri(url)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(PART_TIMEOUT)
                .map(json::readTree)
                .onErrorMap(e -> new IllegalStateException(url + ": " + e.getMessage(), e));
    }
}
