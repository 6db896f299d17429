package hark.upload.audio;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/**
 * Answers {@link TooManyUploads} as the platform's ApiErrors would ({@code {"error": "..."}}, JSON
 * whatever the client accepted) plus the Retry-After header ApiErrors has no way to add. It must
 * come before ApiErrors, whose ApiException handler would otherwise catch it first; ApiErrors has
 * the default, lowest, precedence.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TooManyUploadsAdvice {

    @ExceptionHandler(TooManyUploads.class)
    ResponseEntity<Map<String, String>> tooManyUploads(TooManyUploads e) {
        return ResponseEntity.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.getMessage()));
    }
}
