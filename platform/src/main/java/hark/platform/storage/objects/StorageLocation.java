package hark.platform.storage.objects;

import hark.platform.startup.ConfigurationMistake;
import java.util.Locale;

/** Where {@code HARK_STORAGE} says the objects are: the storage folder, or a bucket. */
public sealed interface StorageLocation {

    /** The folder under {@code hark.storage.root}, as every service shared it before buckets. */
    record Folder() implements StorageLocation {}

    /** {@code prefix} is empty, or keys below it, with no slash at either end. */
    record Bucket(String bucket, String prefix) implements StorageLocation {}

    static StorageLocation parse(String setting) {
        String value = setting == null ? "" : setting.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("local")) {
            return new Folder();
        }
        if (!value.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            throw new ConfigurationMistake("HARK_STORAGE '" + value
                    + "': leave it empty (or write local) to keep audio in the folder under HARK_DATA,"
                    + " or write s3://bucket/prefix to keep it in a bucket");
        }
        String rest = value.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (bucket.isEmpty()) {
            throw new ConfigurationMistake(
                    "HARK_STORAGE '" + value + "' names no bucket: write s3://bucket or s3://bucket/prefix");
        }
        // S3's rule for new buckets, which the compatible servers follow too.
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || bucket.contains("..")) {
            throw new ConfigurationMistake("HARK_STORAGE '" + value + "': '" + bucket
                    + "' is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens,"
                    + " beginning and ending with a letter or digit)");
        }
        if (!prefix.isEmpty()) {
            try {
                ObjectKeys.requireKey(prefix);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationMistake("HARK_STORAGE '" + value + "': the prefix '" + prefix
                        + "' may hold letters, digits, '.', '_' and '-' in names separated by single slashes,"
                        + " and no '..'");
            }
        }
        return new Bucket(bucket, prefix);
    }
}
