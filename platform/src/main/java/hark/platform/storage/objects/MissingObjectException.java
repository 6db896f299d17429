package hark.platform.storage.objects;

/**
 * The object asked for is not stored: never written, or removed since (erasure, retention,
 * cancellation). Its own type so a stage can tell "the input is gone" from "storage is unreachable".
 */
public class MissingObjectException extends RuntimeException {

    private final String key;

    public MissingObjectException(String key) {
        super("No object " + key + " in storage");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
