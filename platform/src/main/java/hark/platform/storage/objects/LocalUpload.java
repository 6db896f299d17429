package hark.platform.storage.objects;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An upload into a file in {@code .partial/}, renamed to its key on commit. The file is made at
 * the first write, not when the upload is begun, so beginning one never waits for the disk (an
 * upload's key is known on a request's event loop).
 */
final class LocalUpload extends ObjectUpload {

    private final Path target;
    private final LocalObjectStore store;
    private Path partial;
    private OutputStream out;
    private long size;

    LocalUpload(String key, Path target, LocalObjectStore store) {
        super(key);
        this.target = target;
        this.store = store;
    }

    @Override
    protected void append(byte[] bytes, int offset, int length) throws IOException {
        open().write(bytes, offset, length);
        size += length;
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    protected long finish() throws IOException {
        open().close();
        store.moveIntoPlace(partial, target);
        return size;
    }

    @Override
    protected void discard() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        LocalObjectStore.deleteQuietly(partial);
    }

    private OutputStream open() throws IOException {
        if (out == null) {
            partial = store.newPartial();
            out = new BufferedOutputStream(
                    Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
        }
        return out;
    }
}
