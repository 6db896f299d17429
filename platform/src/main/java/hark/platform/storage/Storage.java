package hark.platform.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The shared audio folder. Events carry paths relative to its root, built from ids only, so
 * services that mount it at different places agree and no client string ever becomes a path.
 */
public class Storage {

    private final Path root;

    public Storage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where an upload's original lives. */
    public Path original(UUID jobId, String extension) {
        return createParent(root.resolve("originals").resolve(jobId + "." + extension));
    }

    /** A job's folder for intermediate files, removed when the job no longer needs them. */
    public Path work(UUID jobId) {
        Path dir = root.resolve("work").resolve(jobId.toString());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node's transcript texts, one folder per node: the events carry only their paths (a claim
     * check), so an erasure that removes this folder leaves no words behind in the log.
     */
    public Path texts(long nodeId) {
        return root.resolve("texts").resolve(Long.toString(nodeId));
    }

    /** Partial uploads, written here first and moved into place when complete. */
    public Path incoming() {
        try {
            return Files.createDirectories(root.resolve("incoming"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Path outside storage: " + relative);
        }
        return path;
    }

    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString();
    }

    public void deleteWork(UUID jobId) {
        deleteTree(root.resolve("work").resolve(jobId.toString()));
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

    private static Path createParent(Path path) {
        try {
            Files.createDirectories(path.getParent());
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
