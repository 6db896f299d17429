package hark.platform.storage;

import hark.platform.storage.objects.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where audio and transcript texts are kept ({@link ObjectStore}: the storage folder or a bucket),
 * and this process's own scratch folder for the files a stage works on. Events carry object keys,
 * built from ids only, so no client string ever becomes a key or a path; no service reads another's
 * disk, so with a bucket the services share nothing but Kafka, PostgreSQL and the bucket.
 */
public class Storage {

    private final ObjectStore objects;
    private final Path scratchRoot;

    /** @param scratchRoot this process's folder for {@link Scratch}es; never shared with another service */
    public Storage(ObjectStore objects, Path scratchRoot) {
        this.objects = objects;
        this.scratchRoot = scratchRoot.toAbsolutePath().normalize();
    }

    public ObjectStore objects() {
        return objects;
    }

    public Path scratchRoot() {
        return scratchRoot;
    }

    /** The key of an upload's original. */
    public static String original(UUID jobId, String extension) {
        return "originals/" + jobId + "." + extension;
    }

    /** The key of a job's intermediate object (prepared audio, a chunk), removed when the job no longer needs it. */
    public static String work(UUID jobId, String name) {
        return workPrefix(jobId) + name;
    }

    static String workPrefix(UUID jobId) {
        return "work/" + jobId + "/";
    }

    /**
     * A node's transcript texts, under one prefix per node: the events carry only their keys (a claim
     * check), so an erasure that removes this prefix leaves no words behind in the log.
     */
    public static String texts(long nodeId) {
        return "texts/" + nodeId + "/";
    }

    /** A new folder of this process's own, for one stage's work on one job; closing it removes it. */
    public Scratch scratch(UUID jobId) {
        try {
            Files.createDirectories(scratchRoot);
            return new Scratch(objects, Files.createTempDirectory(scratchRoot, jobId + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a scratch folder in " + scratchRoot, e);
        }
    }

    public void deleteWork(UUID jobId) {
        objects.deletePrefix(workPrefix(jobId));
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
