package hark.platform.storage.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under the storage root ({@code hark.storage.root}), the key being the path
 * below it: the layout the services have always shared, so {@code ./hark up} and existing data
 * carry on unchanged. Every write goes to a file in {@code .partial/} first and is renamed into
 * place, which is atomic within one file system; {@code .partial/} sits under the root so that it
 * is on the same one. Folders left empty by a removal are removed too, as a bucket has none.
 */
public class LocalObjectStore implements ObjectStore {

    private static final String PARTIAL = ".partial";
    /** A removal can empty a folder just as a write was about to use it; the write then tries again. */
    private static final int MOVE_ATTEMPTS = 5;

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file) {
        store(key, partial -> Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public ObjectUpload upload(String key) {
        return new LocalUpload(key, path(key), this);
    }

    /**
     * A hard link where the scratch folder is on the same file system, a copy where it is not. The
     * stages only read what they fetch (ffmpeg writes its output to a new file), and an object is
     * only ever replaced by a rename, never rewritten in place, so a link costs nothing and is safe:
     * a long WAV is not copied once per stage on a laptop, as it is not today.
     */
    @Override
    public void fetch(String key, Path scratchFile) {
        Path source = path(key);
        try {
            if (!Files.isRegularFile(source)) {
                throw new MissingObjectException(key);
            }
            Files.createDirectories(scratchFile.toAbsolutePath().getParent());
            Files.deleteIfExists(scratchFile);
            try {
                Files.createLink(scratchFile, source);
            } catch (NoSuchFileException e) {
                throw new MissingObjectException(key);
            } catch (FileSystemException | UnsupportedOperationException differentFileSystem) {
                Files.copy(source, scratchFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not fetch " + key, e);
        }
    }

    @Override
    public InputStream open(String key, long from, long toInclusive) {
        Path file = path(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + key, e);
        }
        try {
            long size = channel.size();
            boolean whole = from == 0 && toInclusive == Long.MAX_VALUE;
            if (!whole && (from < 0 || from >= size || toInclusive < from)) {
                throw new IllegalArgumentException(
                        "Bytes " + from + "-" + toInclusive + " are not inside " + key + " (" + size + " bytes)");
            }
            channel.position(from);
            long length = Math.min(toInclusive, size - 1) - from + 1;
            return new RangeInputStream(Channels.newInputStream(channel), length);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Could not read " + key, io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path(key), BasicFileAttributes.class);
            return attributes.isRegularFile() ? Optional.of(attributes.size()) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look up " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = path(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + key, e);
        }
        pruneEmptyFolders(file.getParent());
    }

    @Override
    public int deletePrefix(String prefix) {
        Path dir = folder(prefix);
        int[] deleted = {0};
        walk(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (Files.deleteIfExists(file)) {
                    deleted[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException failure) throws IOException {
                if (!folder.equals(root)) {
                    try {
                        Files.deleteIfExists(folder);
                    } catch (DirectoryNotEmptyException writtenMeanwhile) {
                        // an object written while the rest went stays, in its folder
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (!dir.equals(root)) {
            pruneEmptyFolders(dir.getParent());
        }
        return deleted[0];
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        walk(folder(prefix), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String key = keyOf(file);
                if (key != null && attributes.isRegularFile()) {
                    objects.add(new StoredObject(
                            key,
                            attributes.size(),
                            attributes.lastModifiedTime().toInstant()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return objects;
    }

    @Override
    public Optional<byte[]> readSmall(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + key, e);
        }
    }

    @Override
    public void writeSmall(String key, byte[] content) {
        store(key, partial -> Files.write(partial, content));
    }

    private interface PartialWriter {
        void write(Path partial) throws IOException;
    }

    /** Written under a partial name and renamed into place: a reader sees the whole object or none. */
    private void store(String key, PartialWriter writer) {
        Path target = path(key);
        Path partial = newPartial();
        try {
            writer.write(partial);
            moveIntoPlace(partial, target);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("Could not store " + key, e);
        }
    }

    @Override
    public int discardUnfinishedUploads(Instant cutoff) {
        Path partials = root.resolve(PARTIAL);
        if (!Files.isDirectory(partials)) {
            return 0;
        }
        int discarded = 0;
        try (Stream<Path> files = Files.list(partials)) {
            for (Path file : files.toList()) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        discarded++;
                    }
                } catch (NoSuchFileException finishedMeanwhile) {
                    // committed or aborted since it was listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clear " + partials, e);
        }
        return discarded;
    }

    @Override
    public void checkReachable() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("The storage folder " + root + " cannot be created", e);
        }
        if (!Files.isWritable(root)) {
            throw new UncheckedIOException(new IOException("The storage folder " + root + " is not writable"));
        }
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void close() {}

    /** A fresh file in {@code .partial/}, named by a random id. */
    Path newPartial() {
        Path dir = root.resolve(PARTIAL);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
        return dir.resolve(UUID.randomUUID().toString());
    }

    void moveIntoPlace(Path partial, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt == MOVE_ATTEMPTS || !Files.exists(partial)) {
                    throw e;
                }
            }
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left in .partial/ for discardUnfinishedUploads
        }
    }

    private Path path(String key) {
        return root.resolve(ObjectKeys.requireKey(key));
    }

    private Path folder(String prefix) {
        return ObjectKeys.requirePrefix(prefix).isEmpty() ? root : root.resolve(prefix);
    }

    /** The key of a file under the root, or null for what no key can name (the partial files). */
    private String keyOf(Path path) {
        String key =
                root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        try {
            return ObjectKeys.requireKey(key);
        } catch (IllegalArgumentException notAKey) {
            return null;
        }
    }

    private void pruneEmptyFolders(Path dir) {
        for (Path folder = dir; folder != null && folder.startsWith(root) && !folder.equals(root); ) {
            try {
                Files.deleteIfExists(folder);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
            folder = folder.getParent();
        }
    }

    /**
     * Walks a folder, leaving out the partial files, and takes what vanishes meanwhile (a removal
     * running alongside) as gone rather than as an error.
     */
    private void walk(Path dir, SimpleFileVisitor<Path> visitor) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new FileVisitor<Path>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes)
                        throws IOException {
                    return folder.equals(root.resolve(PARTIAL))
                            ? FileVisitResult.SKIP_SUBTREE
                            : visitor.preVisitDirectory(folder, attributes);
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    return visitor.visitFile(file, attributes);
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, IOException failure) throws IOException {
                    return visitor.postVisitDirectory(folder, failure);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not go through " + dir, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // opened only to read
        }
    }
}
