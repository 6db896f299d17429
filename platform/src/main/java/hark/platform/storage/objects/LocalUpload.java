package hark.platform.storage.objects;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An upload into a file in {@code .partial/}, renamed to its key on commit. */
final class LocalUpload extends ObjectUpload {

    private final Path partial;
    private final Path target;
    private final LocalObjectStore store;
    private final OutputStream out;
    private long size;

    LocalUpload(String key, Path partial, Path target, LocalObjectStore store) throws IOException {
        super(key);
        this.partial = partial;
        this.target = target;
        this.store = store;
        this.out = new BufferedOutputStream(
                Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
    }

    @Override
    protected void append(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        size += length;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    protected long finish() throws IOException {
        out.close();
        store.moveIntoPlace(partial, target);
        return size;
    }

    @Override
    protected void discard() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        LocalObjectStore.deleteQuietly(partial);
    }
}
