package hark.transcribe.engine;

/** An engine could not transcribe; the message is shown to the person who uploaded. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
