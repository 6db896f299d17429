package hark.platform;

/**
 * A failure that no retry or replay of the same input can fix (not audio, too long, no audio
 * track). The message is shown to the person as the job's error, so write it for them.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
