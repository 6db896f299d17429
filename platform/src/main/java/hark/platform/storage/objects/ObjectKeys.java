package hark.platform.storage.objects;

import java.util.regex.Pattern;

/**
 * What a key may look like. Keys are built from ids (a job's UUID, a node's number, a fixed file
 * name such as {@code chunk-00003.json}), never from a client's words, so anything else is a bug
 * and is refused before it reaches a disk or a bucket. Refusing every segment that starts with a
 * dot rules out {@code .} and {@code ..} and leaves dot-names free for the local store's own use.
 */
final class ObjectKeys {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*");
    /** S3 allows 1024 bytes; the local store's file names stay well inside any file system's limit. */
    private static final int MAX_LENGTH = 512;

    private ObjectKeys() {}

    static String requireKey(String key) {
        if (key == null
                || key.length() > MAX_LENGTH
                || key.contains("..")
                || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a storage key: " + key);
        }
        return key;
    }

    /**
     * A prefix names a folder: empty (everything) or a key followed by {@code /}. Without the slash,
     * {@code texts/12} would also match {@code texts/123/...} in a bucket, and an erasure of one node
     * would take another's texts with it.
     */
    static String requirePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("Not a storage prefix: null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("A storage prefix ends with '/': " + prefix);
        }
        requireKey(prefix.substring(0, prefix.length() - 1));
        return prefix;
    }
}
