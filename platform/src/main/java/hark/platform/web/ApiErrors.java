package hark.platform.web;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import reactor.netty.channel.AbortedException;

/**
 * Every error leaves the API as {@code {"error": "..."}}, the original design's shape. The type is set
 * explicitly, so that a client that asked for text, subtitles or an event stream still gets the
 * error rather than a 406.
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, String>> api(ApiException e) {
        if (e.retryAfter() != null) {
            return ResponseEntity.status(e.status())
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(ApiException.seconds(e.retryAfter())))
                    .body(Map.of("error", e.getMessage()));
        }
        return error(e.status(), e.getMessage());
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, String>> input(ServerWebInputException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "The request could not be read: " + (e.getReason() != null ? e.getReason() : "malformed body"));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, String>> status(ResponseStatusException e) {
        String reason = e.getReason() != null
                ? e.getReason()
                : HttpStatus.valueOf(e.getStatusCode().value()).getReasonPhrase();
        return error(e.getStatusCode(), reason);
    }

    /** The client went away mid-request (a dropped upload): theirs, not a fault of Hark's. */
    @ExceptionHandler(AbortedException.class)
    ResponseEntity<Map<String, String>> clientGone(AbortedException e) {
        log.debug("The client left mid-request: {}", e.getMessage());
        return error(HttpStatus.BAD_REQUEST, "The request ended before all of it arrived.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }
}
