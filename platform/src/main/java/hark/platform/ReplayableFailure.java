package hark.platform;

/**
 * A failure the stage must not retry on its own (the call has spent its retries, or retrying
 * cannot help until someone acts: a missing or refused API key, a long outage), but that a
 * replay can fix once the cause is gone. The job fails with this message and the record goes to
 * the dead-letter topic; unlike {@link PermanentFailure}, the job's intermediate files are kept
 * so that the replay finds them.
 */
public class ReplayableFailure extends RuntimeException {

    public ReplayableFailure(String message) {
        super(message);
    }

    public ReplayableFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
