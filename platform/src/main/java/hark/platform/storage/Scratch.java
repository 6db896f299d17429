package hark.platform.storage;

import hark.platform.PermanentFailure;
import hark.platform.storage.objects.MissingObjectException;
import hark.platform.storage.objects.ObjectStore;
import java.nio.file.Path;

/**
 * One stage's local folder for one job: the object it works on is fetched into it, ffmpeg works
 * file to file inside it, the outputs are stored from it, and closing it removes it all. Only what
 * one stage needs for one job is ever on this process's disk.
 */
public final class Scratch implements AutoCloseable {

    private final ObjectStore objects;
    private final Path dir;

    Scratch(ObjectStore objects, Path dir) {
        this.objects = objects;
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The object, as a file of this folder named as the key's last part.
     *
     * @param missing what the job fails with when the object is not stored (removed since, say, by
     *                a cancellation): no retry can bring it back
     */
    public Path fetch(String key, String missing) {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        try {
            objects.fetch(key, file);
        } catch (MissingObjectException e) {
            throw new PermanentFailure(missing, e);
        }
        return file;
    }

    @Override
    public void close() {
        Storage.deleteTree(dir);
    }
}
