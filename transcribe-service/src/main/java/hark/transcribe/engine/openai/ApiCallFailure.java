package hark.transcribe.engine.openai;

import java.time.Duration;

/** One call to the transcription API that did not give a transcript, and what that means for retrying. */
final class ApiCallFailure extends RuntimeException {

    enum Kind {
        /** 429: the API asks Hark to slow down. */
        RATE_LIMITED(true, false),
        /** 5xx or 408: the API is having trouble. */
        SERVER_ERROR(true, true),
        /** No answer within the time limit. */
        TIMEOUT(true, true),
        /** No connection, or it broke. */
        CONNECTION(true, true),
        /** A 200 whose body is not a transcription. */
        MALFORMED(true, true),
        /** 400, 413, 415, 422: this audio will never be accepted. */
        REJECTED_AUDIO(false, false),
        /** 401, 403: the key is missing, wrong or not allowed. */
        REFUSED_KEY(false, false),
        /** Any other 4xx: most likely a wrong base URL or model. */
        CLIENT_ERROR(false, false);

        final boolean retryable;
        /** Counts towards opening the circuit: the API, not the request, is at fault. */
        final boolean outage;

        Kind(boolean retryable, boolean outage) {
            this.retryable = retryable;
            this.outage = outage;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    ApiCallFailure(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    static ApiCallFailure ofStatus(int status, String apiMessage, Duration retryAfter) {
        Kind kind;
        if (status == 429) {
            kind = Kind.RATE_LIMITED;
        } else if (status >= 500 || status == 408) {
            kind = Kind.SERVER_ERROR;
        } else if (status == 401 || status == 403) {
            kind = Kind.REFUSED_KEY;
        } else if (status == 400 || status == 413 || status == 415 || status == 422) {
            kind = Kind.REJECTED_AUDIO;
        } else {
            kind = Kind.CLIENT_ERROR;
        }
        String message = "HTTP " + status + (apiMessage == null || apiMessage.isBlank() ? "" : ": " + apiMessage);
        return new ApiCallFailure(kind, status, message, retryAfter, null);
    }

    static ApiCallFailure of(Kind kind, String message, Throwable cause) {
        return new ApiCallFailure(kind, 0, message, null, cause);
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    /** The wait the API asked for, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    boolean retryable() {
        return kind.retryable;
    }

    boolean outage() {
        return kind.outage;
    }
}
