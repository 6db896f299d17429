package hark.upload.audio;

import hark.platform.web.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/**
 * A user went over the upload rate limit: a 429 whose Retry-After says when a slot frees. It is an
 * {@link ApiException}, so if {@link TooManyUploadsAdvice} is not in the context the platform's
 * handler still answers 429 with the message, only without the header.
 */
public class TooManyUploads extends ApiException {

    private final int perMinute;
    private final Duration retryAfter;

    public TooManyUploads(int perMinute, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, message(perMinute, seconds(retryAfter)));
        this.perMinute = perMinute;
        this.retryAfter = retryAfter;
    }

    public int perMinute() {
        return perMinute;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up and at least 1: Retry-After takes no fractions, and 0 invites a retry too soon. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration wait) {
        long millis = Math.max(wait.toMillis(), 1);
        return (millis + 999) / 1000;
    }

    private static String message(int perMinute, long seconds) {
        return "Too many uploads: at most " + perMinute + " a minute. Try again in " + seconds
                + (seconds == 1 ? " second." : " seconds.");
    }
}
