package hark.platform.storage.objects;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object written as a stream of unknown length. Nothing is visible under its key until
 * {@link #commit}; {@link #abort}, or a {@link #close} without a commit (an exception in a
 * try-with-resources block), leaves no object and nothing half-written behind. A failed write
 * aborts the upload by itself before it throws. Beginning an upload does no I/O. Writes, commit and
 * abort are serialised: an abort from another thread (a client that went away) waits for the part
 * being sent and then removes it, rather than racing it and leaving it on the server.
 */
public abstract class ObjectUpload extends OutputStream {

    private final String key;
    private boolean ended;

    protected ObjectUpload(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Makes the object visible, whole; answers its size. */
    public final synchronized long commit() throws IOException {
        ensureOpen();
        ended = true;
        try {
            return finish();
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
    }

    /** Drops what was written. Safe to call more than once and after a failure. */
    public final synchronized void abort() {
        if (!ended) {
            ended = true;
            discard();
        }
    }

    @Override
    public final void close() {
        abort();
    }

    @Override
    public final void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        try {
            append(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    protected abstract void append(byte[] bytes, int offset, int length) throws IOException;

    protected abstract long finish() throws IOException;

    /** Removes every trace of the upload; failures are logged, not thrown (the sweeper catches leftovers). */
    protected abstract void discard();

    private void ensureOpen() throws IOException {
        if (ended) {
            throw new IOException("The upload of " + key + " has already ended");
        }
    }
}
