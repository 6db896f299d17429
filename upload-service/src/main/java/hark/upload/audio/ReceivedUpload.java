package hark.upload.audio;

import hark.platform.storage.objects.ObjectUpload;
import java.io.IOException;
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
    String mimeType;
    long bytes;
    boolean sawFilePart;
    int parts;
    long fieldBytes;
    /** Set before the upload is aborted, so that a write still under way then is not taken as a failure. */
    volatile boolean abandoned;

    ReceivedUpload(UUID jobId) {
        this.jobId = jobId;
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

    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    public long bytes() {
        return bytes;
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
