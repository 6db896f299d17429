package hark.upload.audio;

import hark.platform.storage.objects.ObjectUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What one multipart upload carried: its form fields and, once streamed into the store, its audio
 * as an upload that is not yet committed. Whoever receives it commits it once the node is sure to
 * be made, or abandons it; until then nothing is visible under its key.
 */
public final class ReceivedUpload {

    final Map<String, String> fields = new HashMap<>();
    private final UUID jobId;
    ObjectUpload audio;
    String extension;
    String fileName;
    String mimeType;
    long bytes;
    boolean sawFilePart;
    int parts;
    long fieldBytes;
    /** Set before the upload is aborted, so that a write still under way then is not taken as a failure. */
    volatile boolean abandoned;

    /**
     * The file's SHA-256, fed as its bytes are written; null unless asked for. Touched by the one
     * writer thread only, and read once the upload is received.
     */
    final MessageDigest fileDigest;

    private byte[] requestDigest;

    ReceivedUpload(UUID jobId, boolean digested) {
        this.jobId = jobId;
        this.fileDigest = digested ? sha256() : null;
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** The job that will transcribe this recording; its original's key is made from it. */
    public UUID jobId() {
        return jobId;
    }

    public String key() {
        return audio == null ? null : audio.key();
    }

    /** The name the client gave the file, as sent (folders and all). */
    public String fileName() {
        return fileName;
    }

    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    public long bytes() {
        return bytes;
    }

    /**
     * A SHA-256 of what makes this upload the upload it is: the file's bytes and the fields that
     * shape its node (parent_id, node_type, callback_url, title), each field marked as absent or given, and its length
     * told, so that no two different forms run together into the same bytes. Only for an upload
     * received with its digest, once it is received.
     */
    public synchronized byte[] requestDigest() {
        if (requestDigest != null) {
            return requestDigest;
        }
        MessageDigest request = sha256();
        request.update(fileDigest.digest());
        for (String name : new String[] {"parent_id", "node_type"}) {
            String value = fields.get(name);
            if (value == null) {
                request.update((byte) 0);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                request.update((byte) 1);
                request.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                request.update(bytes);
            }
        }
        // Added after keys were in use: absent, it adds nothing, so digests kept before still match.
        String callback = fields.get("callback_url");
        if (callback != null) {
            byte[] bytes = callback.getBytes(StandardCharsets.UTF_8);
            request.update((byte) 1);
            request.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            request.update(bytes);
        }
        // Added after titles: marked 2, not 1, so that a title and a callback_url of the same text never
        // digest alike; absent, it adds nothing, so digests kept before still match.
        String title = fields.get("title");
        if (title != null) {
            byte[] bytes = title.getBytes(StandardCharsets.UTF_8);
            request.update((byte) 2);
            request.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            request.update(bytes);
        }
        requestDigest = request.digest();
        return requestDigest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }

    /** Makes the recording visible under {@link #key}; blocks, as every store call does. */
    public long commit() throws IOException {
        return audio.commit();
    }

    /**
     * Drops what was stored. On a boundedElastic thread: with a bucket, aborting a multipart upload
     * is a request to it, and it waits for a part still being sent. A no-op once committed. The
     * abort runs to its end even if the request is cancelled meanwhile (the client left): cancelling
     * a boundedElastic task interrupts its thread, and an abort cut off by that interrupt left the
     * multipart upload on the server.
     */
    public Mono<Void> abandon() {
        abandoned = true;
        ObjectUpload upload = audio;
        if (upload == null) {
            return Mono.empty();
        }
        return Mono.defer(() -> Mono.fromFuture(
                Mono.fromRunnable(upload::abort)
                        .subscribeOn(Schedulers.boundedElastic())
                        .then()
                        .toFuture(),
                true));
    }
}
