package hark.platform.web;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** An answer for the client: a status and a message a person understands. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null);
    }

    private ApiException(HttpStatus status, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** 429, with the {@code Retry-After} header saying when to try again (whole seconds, at least 1). */
    public static ApiException tooMany(String message, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, message, retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    /** Null unless the client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** A wait as a person reads it: "1 second", "20 seconds" (the same whole seconds as Retry-After). */
    public static String inWords(Duration wait) {
        long seconds = seconds(wait);
        return seconds == 1 ? "1 second" : seconds + " seconds";
    }

    /** Whole seconds, rounded up and at least 1: Retry-After takes no fractions, and 0 invites a retry too soon. */
    public static long seconds(Duration wait) {
        long millis = Math.max(wait.toMillis(), 1);
        return (millis + 999) / 1000;
    }
}
