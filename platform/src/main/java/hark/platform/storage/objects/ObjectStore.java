package hark.platform.storage.objects;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where Hark keeps audio and transcript texts: the shared folder ({@link LocalObjectStore}) or a
 * bucket ({@link S3ObjectStore}), chosen by {@code HARK_STORAGE}. Keys are the paths relative to
 * the storage root that events already carry ({@code originals/<job>.<ext>},
 * {@code work/<job>/...}, {@code texts/<node>/<job>/...}); they are built from ids only, and
 * anything else is refused with an {@link IllegalArgumentException}. A prefix is a folder: empty,
 * or a key ending in {@code /}.
 *
 * <p>Writes are whole or nothing: a reader sees the previous object or the new one, never part of
 * it. A write to a key that holds an object replaces it, so a stage that runs again simply writes
 * its outputs again. Storage that cannot be reached or written fails with an
 * {@link UncheckedIOException}; an object that is not there, where one is needed, with a
 * {@link MissingObjectException}. Every call blocks: reactive code runs them on boundedElastic
 * threads ({@code Disk.call}).
 */
public interface ObjectStore extends AutoCloseable {

    /** Stores a copy of a local file; the file stays the caller's. */
    void put(String key, Path file);

    /**
     * A writer for content whose length is not known up front (an upload as it arrives). It holds
     * at most one part of a few MB in memory, however long the content.
     */
    ObjectUpload upload(String key);

    /**
     * Copies the object to a local scratch file, replacing what is there. The scratch file is for
     * reading: the local store may link it to the stored object rather than copy it.
     */
    void fetch(String key, Path scratchFile);

    /**
     * The object's bytes from {@code from} to {@code toInclusive}, clamped to its end: an HTTP
     * range. {@code from} must lie inside the object. Close the stream when done; closing early
     * does not read the rest.
     */
    InputStream open(String key, long from, long toInclusive);

    default InputStream open(String key) {
        return open(key, 0, Long.MAX_VALUE);
    }

    /** The object's size, or empty when there is none. */
    Optional<Long> size(String key);

    default boolean exists(String key) {
        return size(key).isPresent();
    }

    /** Removes the object if there is one. */
    void delete(String key);

    /** Removes every object under the prefix (a job's work, a node's texts); answers how many went. */
    int deletePrefix(String prefix);

    /** Every object under the prefix, at any depth, in no particular order. */
    List<StoredObject> list(String prefix);

    /** A small object (a transcript text) whole, or empty when there is none. */
    Optional<byte[]> readSmall(String key);

    void writeSmall(String key, byte[] content);

    /**
     * Drops uploads that were started before {@code cutoff} and never committed or aborted: what
     * a crash mid-upload leaves (a partial file, an unfinished multipart upload that the bucket
     * would otherwise keep, and bill, for good). Answers how many went.
     */
    int discardUnfinishedUploads(Instant cutoff);

    /** Throws, saying why, when the storage cannot be read and written (health). */
    void checkReachable();

    /** Where the objects are, for logs and health ({@code /data/storage}, {@code s3://bucket/prefix}). */
    String location();

    @Override
    void close();
}
