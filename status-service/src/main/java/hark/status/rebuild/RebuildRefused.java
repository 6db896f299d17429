package hark.status.rebuild;

/** A rebuild that must not start now; nothing was changed. The message says why, for a person. */
public class RebuildRefused extends RuntimeException {

    public RebuildRefused(String message) {
        super(message);
    }
}
