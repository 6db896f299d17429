package hark.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * A scripted answer for {@link FakeTranscriptionApi#enqueue}: the fault (or success) a test
 * wants the next well-formed, authorised request to meet.
 */
public final class Reply {

    private enum Kind {
        ERROR,
        TRANSCRIPT,
        MALFORMED
    }

    /** The default answer: a 200 transcript from the fake's transcriber after its latency. */
    static final Reply DEFAULT = new Reply(Kind.TRANSCRIPT, 200, null, null, null, null);

    private final Kind kind;
    private final int status;
    private final String message;
    private final Duration retryAfter;
    /** Null means the fake's configured latency for a 200 and no wait for an error. */
    private final Duration delay;
    /** Null means the fake's transcriber makes up the text. */
    private final String text;

    private Reply(Kind kind, int status, String message, Duration retryAfter, Duration delay, String text) {
        this.kind = kind;
        this.status = status;
        this.message = message;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.text = text;
    }

    /** An error status (400-599) with OpenAI's error JSON carrying {@code message}. */
    public static Reply status(int code, String message) {
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("An error reply needs a 4xx or 5xx status, not " + code);
        }
        return new Reply(Kind.ERROR, code, Objects.requireNonNull(message), null, null, null);
    }

    /**
     * 429 with {@code Retry-After} in whole seconds (HTTP allows no fractions), rounded up so
     * that a client honouring it never comes back early.
     */
    public static Reply tooManyRequests(Duration retryAfter) {
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("Retry-After cannot be negative: " + retryAfter);
        }
        return new Reply(Kind.ERROR, 429, "Rate limit reached for requests", retryAfter, null, null);
    }

    /** The normal 200 transcript, but only after {@code delay} (instead of the configured latency). */
    public static Reply slow(Duration delay) {
        return new Reply(Kind.TRANSCRIPT, 200, null, null, nonNegative(delay), null);
    }

    /** 200 with Content-Type application/json and a body that is not valid JSON and has no "text". */
    public static Reply malformed() {
        return new Reply(Kind.MALFORMED, 200, null, null, null, null);
    }

    /** 200 with this transcript, in the request's response_format, after the configured latency. */
    public static Reply ok(String text) {
        return new Reply(Kind.TRANSCRIPT, 200, null, null, null, Objects.requireNonNull(text));
    }

    /** This same reply, sent only after {@code delay} (for instance a 500 that comes late). */
    public Reply after(Duration delay) {
        return new Reply(kind, status, message, retryAfter, nonNegative(delay), text);
    }

    /** The status this reply answers with. */
    public int statusCode() {
        return status;
    }

    /** Whether rendering needs the request's upload, which an outage answer cannot count on. */
    boolean needsUpload() {
        return kind == Kind.TRANSCRIPT;
    }

    /**
     * Renders this reply for a request as a WireMock response, its wait as WireMock's fixed delay;
     * {@code upload} is null when the request had no valid form.
     */
    ResponseDefinitionBuilder answer(Upload upload, Function<Upload, String> transcriber, Duration latency) {
        switch (kind) {
            case ERROR:
                ResponseDefinitionBuilder error =
                        ApiBodies.error(status, message, null, status == 429 ? "rate_limit_exceeded" : null);
                if (retryAfter != null) {
                    error.withHeader("Retry-After", Long.toString(ceilSeconds()));
                }
                return delayed(error, delay == null ? Duration.ZERO : delay);
            case MALFORMED:
                return delayed(ApiBodies.json(200, "{\"txt\": oops"), delay == null ? latency : delay);
            default:
                String transcript = text != null ? text : transcriber.apply(upload);
                return delayed(ApiBodies.transcript(transcript, upload), delay == null ? latency : delay);
        }
    }

    private static ResponseDefinitionBuilder delayed(ResponseDefinitionBuilder response, Duration delay) {
        return delay.isZero() ? response : response.withFixedDelay(Math.toIntExact(delay.toMillis()));
    }

    private long ceilSeconds() {
        long seconds = retryAfter.getSeconds();
        return retryAfter.getNano() > 0 ? seconds + 1 : seconds;
    }

    private static Duration nonNegative(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative: " + delay);
        }
        return delay;
    }

    @Override
    public String toString() {
        return "Reply[" + kind + " " + status + (message == null ? "" : " " + message)
                + (retryAfter == null ? "" : " retry after " + retryAfter)
                + (delay == null ? "" : " after " + delay) + (text == null ? "" : " \"" + text + "\"") + "]";
    }
}
