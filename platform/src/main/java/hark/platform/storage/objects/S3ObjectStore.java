package hark.platform.storage.objects;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in a bucket, under an optional prefix ({@code s3://bucket/prefix}), through the AWS SDK's
 * synchronous client: the stages are blocking code on their own threads, and the reactive upload
 * path calls the store on boundedElastic threads. Large content goes as a multipart upload in parts
 * of {@code partSize}, one part in memory at a time ({@link S3Upload}).
 */
public class S3ObjectStore implements ObjectStore {

    /** S3's smallest part (but the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** S3's largest number of parts in one upload: 10,000 parts of 8 MiB hold 78 GiB. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** The most keys one DeleteObjects request takes. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final String base;
    private final int partSize;

    /** {@code prefix} without slashes at its ends; empty for the whole bucket. */
    public S3ObjectStore(S3Client s3, String bucket, String prefix, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("A part is at least " + MIN_PART_SIZE + " bytes, not " + partSize);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.base = prefix.isEmpty() ? "" : ObjectKeys.requireKey(prefix) + "/";
        this.partSize = partSize;
    }

    @Override
    public void put(String key, Path file) {
        String objectKey = objectKey(key);
        try {
            if (Files.size(file) <= partSize) {
                s3.putObject(r -> r.bucket(bucket).key(objectKey), RequestBody.fromFile(file));
                return;
            }
            try (ObjectUpload upload = upload(key);
                    InputStream in = Files.newInputStream(file)) {
                in.transferTo(upload);
                upload.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store " + key, e);
        } catch (SdkException e) {
            throw failed("store", key, e);
        }
    }

    @Override
    public ObjectUpload upload(String key) {
        return new S3Upload(key, s3, bucket, objectKey(key), partSize);
    }

    @Override
    public void fetch(String key, Path scratchFile) {
        try (InputStream in = open(key)) {
            Files.createDirectories(scratchFile.toAbsolutePath().getParent());
            Files.copy(in, scratchFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(scratchFile);
            throw new UncheckedIOException("Could not fetch " + key, e);
        } catch (SdkException e) {
            deleteQuietly(scratchFile);
            throw failed("fetch", key, e);
        }
    }

    @Override
    public InputStream open(String key, long from, long toInclusive) {
        GetObjectRequest.Builder request =
                GetObjectRequest.builder().bucket(bucket).key(objectKey(key));
        if (from != 0 || toInclusive != Long.MAX_VALUE) {
            if (from < 0 || toInclusive < from) {
                throw new IllegalArgumentException("Bytes " + from + "-" + toInclusive + " are no range");
            }
            request.range("bytes=" + from + "-" + (toInclusive == Long.MAX_VALUE ? "" : toInclusive));
        }
        try {
            return new AbortingInputStream(s3.getObject(request.build()));
        } catch (NoSuchKeyException e) {
            throw new MissingObjectException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw new IllegalArgumentException("Bytes " + from + "-" + toInclusive + " are not inside " + key, e);
            }
            throw failed("read", key, e);
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            return Optional.of(
                    s3.headObject(r -> r.bucket(bucket).key(objectKey(key))).contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failed("look up", key, e);
        } catch (SdkException e) {
            throw failed("look up", key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(objectKey(key)));
        } catch (SdkException e) {
            throw failed("delete", key, e);
        }
    }

    @Override
    public int deletePrefix(String prefix) {
        List<StoredObject> objects = list(prefix);
        int deleted = 0;
        for (int from = 0; from < objects.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = objects.subList(from, Math.min(from + DELETE_BATCH, objects.size())).stream()
                    .map(o -> ObjectIdentifier.builder().key(base + o.key()).build())
                    .toList();
            DeleteObjectsResponse response;
            try {
                response = s3.deleteObjects(
                        r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            } catch (SdkException e) {
                throw failed("delete", prefix, e);
            }
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var error = response.errors().get(0);
                throw new UncheckedIOException(new IOException("Could not delete " + error.key() + " in " + location()
                        + ": " + error.code() + " " + error.message()));
            }
            deleted += batch.size();
        }
        return deleted;
    }

    @Override
    public List<StoredObject> list(String prefix) {
        String objectPrefix = base + ObjectKeys.requirePrefix(prefix);
        List<StoredObject> objects = new ArrayList<>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(objectPrefix))
                    .contents()
                    .forEach(o -> objects.add(
                            new StoredObject(o.key().substring(base.length()), o.size(), o.lastModified())));
        } catch (SdkException e) {
            throw failed("list", prefix, e);
        }
        return objects;
    }

    @Override
    public Optional<byte[]> readSmall(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey(key)))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public void writeSmall(String key, byte[] content) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(objectKey(key)), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failed("store", key, e);
        }
    }

    @Override
    public int discardUnfinishedUploads(Instant cutoff) {
        int discarded = 0;
        try {
            for (var upload : s3.listMultipartUploadsPaginator(
                            r -> r.bucket(bucket).prefix(base))
                    .uploads()) {
                if (upload.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(
                            r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    discarded++;
                }
            }
        } catch (SdkException e) {
            throw failed("discard the unfinished uploads of", "", e);
        }
        return discarded;
    }

    @Override
    public void checkReachable() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            throw new UncheckedIOException(
                    new IOException("The bucket " + bucket + " cannot be reached: " + e.getMessage(), e));
        }
    }

    @Override
    public String location() {
        return "s3://" + bucket + (base.isEmpty() ? "" : "/" + base.substring(0, base.length() - 1));
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(String key) {
        return base + ObjectKeys.requireKey(key);
    }

    private UncheckedIOException failed(String what, String key, SdkException e) {
        return new UncheckedIOException(
                new IOException("Could not " + what + " " + key + " in " + location() + ": " + e.getMessage(), e));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller clears its scratch folder
        }
    }

    /**
     * Closing a response stream before its end would otherwise read the rest of it, to keep the
     * connection: for a listener who stops a long recording, the whole remaining range. Aborting
     * drops the connection instead.
     */
    private static final class AbortingInputStream extends FilterInputStream {

        private final ResponseInputStream<GetObjectResponse> response;
        private long remaining;

        AbortingInputStream(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
            Long length = response.response().contentLength();
            this.remaining = length == null ? Long.MAX_VALUE : length;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            remaining = b < 0 ? 0 : remaining - 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            remaining = n < 0 ? 0 : remaining - n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) {
                response.abort();
            }
            super.close();
        }
    }
}
