package hark.platform.storage.objects;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * An upload into a bucket that holds one part in memory at a time: the bytes fill a buffer of
 * {@code partSize}, each full buffer goes out as a part of a multipart upload, and the buffer is
 * used again. Content that never fills a part goes as one plain PUT on commit, so a short upload,
 * or one aborted before its first part, leaves nothing on the server to clean up.
 */
final class S3Upload extends ObjectUpload {

    private static final Logger log = LoggerFactory.getLogger(S3Upload.class);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String objectKey;
    private final int partSize;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer;
    private int buffered;
    private long size;
    private String uploadId;

    S3Upload(String key, S3Client s3, String bucket, String objectKey, int partSize) {
        super(key);
        this.s3 = s3;
        this.bucket = bucket;
        this.objectKey = objectKey;
        this.partSize = partSize;
    }

    @Override
    protected void append(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (buffer == null) {
                buffer = new byte[partSize];
            }
            int n = Math.min(length, partSize - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            size += n;
            offset += n;
            length -= n;
            if (buffered == partSize) {
                sendPart();
            }
        }
    }

    @Override
    protected long finish() throws IOException {
        try {
            if (uploadId == null) {
                s3.putObject(r -> r.bucket(bucket).key(objectKey).contentType(CONTENT_TYPE), bufferedBody());
            } else {
                if (buffered > 0) {
                    sendPart();
                }
                s3.completeMultipartUpload(
                        r -> r.bucket(bucket).key(objectKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            }
        } catch (SdkException e) {
            throw new IOException("Could not store " + key() + ": " + e.getMessage(), e);
        }
        buffer = null;
        return size;
    }

    @Override
    protected void discard() {
        buffer = null;
        if (uploadId == null) {
            return;
        }
        // An abort is often made on a thread just interrupted (a cancelled request, a failed part), and
        // the SDK gives up at once on an interrupted thread: the flag waits until the abort is made,
        // as an upload left unfinished keeps its parts on the server until the sweeper comes.
        boolean interrupted = Thread.interrupted();
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (NoSuchUploadException alreadyGone) {
            // discarded as unfinished meanwhile: nothing is left either way
        } catch (SdkException e) {
            log.warn("Could not abort the upload of {}; the work sweeper drops it later: {}", key(), e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Bytes held in memory now: never more than one part. */
    int buffered() {
        return buffered;
    }

    /** The memory this upload has taken for its buffer. */
    int bufferCapacity() {
        return buffer == null ? 0 : buffer.length;
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(
                                r -> r.bucket(bucket).key(objectKey).contentType(CONTENT_TYPE))
                        .uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(
                            r -> r.bucket(bucket)
                                    .key(objectKey)
                                    .uploadId(uploadId)
                                    .partNumber(number),
                            bufferedBody())
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            buffered = 0;
        } catch (SdkException e) {
            throw new IOException(
                    "Could not store part " + (parts.size() + 1) + " of " + key() + ": " + e.getMessage(), e);
        }
    }

    /** The buffer as a body without a copy of it; a retried request reads it again from the start. */
    private RequestBody bufferedBody() {
        if (buffered == 0) {
            return RequestBody.empty();
        }
        byte[] bytes = buffer;
        int length = buffered;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, CONTENT_TYPE);
    }
}
