package hark.schemas;

/** A record that no reader can understand: retrying it cannot help, so it goes to a dead letter. */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
