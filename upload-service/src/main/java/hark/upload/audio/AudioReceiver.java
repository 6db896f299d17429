package hark.upload.audio;

import hark.platform.audio.AudioSignature;
import hark.platform.storage.Storage;
import hark.platform.storage.objects.ObjectUpload;
import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Streams a multipart upload straight into the object store (the storage folder or a bucket),
 * buffer by buffer, so a recording of any size costs the same small memory: a few network buffers
 * and the store's one part. The size limit is enforced on the bytes as they arrive, whatever the
 * request claimed, and a refused upload leaves nothing behind (its upload is aborted). The file
 * must be named as audio and its first bytes must show an audio container ({@link AudioSignature}).
 */
@Component
public class AudioReceiver {

    static final String FILE_FIELD = "audio_file";
    /** Parts of one upload form, the file included (parent_id and node_type are the others). */
    static final int MAX_PARTS = 16;
    /** Characters of all the other fields together. */
    static final int MAX_FIELD_BYTES = 16 * 1024;
    /** Bytes copied out of a network buffer at a time, into the upload. */
    private static final int COPY_BYTES = 16 * 1024;

    private final Storage storage;
    private final UploadProperties props;

    public AudioReceiver(Storage storage, UploadProperties props) {
        this.storage = storage;
        this.props = props;
    }

    /**
     * The form, its audio streamed into an upload under a key made from a fresh job id. The upload
     * is left uncommitted for the caller; a refused or abandoned form aborts it.
     */
    public Mono<ReceivedUpload> receive(Flux<PartEvent> events) {
        return receive(events, false);
    }

    /**
     * As {@link #receive(Flux)}; with {@code digested}, the file's bytes are also hashed as they are
     * written, for {@link ReceivedUpload#requestDigest} (an upload with an Idempotency-Key). Only then:
     * hashing a recording of a few GB costs seconds of a core.
     */
    public Mono<ReceivedUpload> receive(Flux<PartEvent> events, boolean digested) {
        ReceivedUpload upload = new ReceivedUpload(UUID.randomUUID(), digested);
        return read(events, upload)
                .onErrorResume(e -> upload.abandon().then(Mono.error(e)))
                // The client went away mid-upload.
                .doOnCancel(() -> upload.abandon().subscribe());
    }

    private Mono<ReceivedUpload> read(Flux<PartEvent> events, ReceivedUpload upload) {
        Releases releases = new Releases();
        return events.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, all) -> {
                    PartEvent event = first.get();
                    // A form holds the file and a few small fields; a stranger's ten thousand fields
                    // are refused at the first one too many, not kept in memory.
                    if (++upload.parts > MAX_PARTS) {
                        return Mono.error(new ApiException(
                                HttpStatus.CONTENT_TOO_LARGE,
                                "Too many form fields:" + " an upload has the audio_file and at most " + (MAX_PARTS - 1)
                                        + " other fields"));
                    }
                    if (event instanceof FormPartEvent form) {
                        upload.fieldBytes += form.name().length() + form.value().length();
                        if (upload.fieldBytes > MAX_FIELD_BYTES) {
                            return Mono.error(new ApiException(
                                    HttpStatus.CONTENT_TOO_LARGE,
                                    "The form fields" + " besides the audio are too long: at most "
                                            + MAX_FIELD_BYTES / 1024 + " KB in all"));
                        }
                        upload.fields.put(form.name(), form.value());
                        return all.then();
                    }
                    if (event instanceof FilePartEvent filePart && FILE_FIELD.equals(filePart.name())) {
                        return store(upload, filePart, all, releases);
                    }
                    // Another file part is read past and dropped. Through releases: then() hands each
                    // event to the discard hook too, and a second release would free the network buffer
                    // that the parts after this one are slices of.
                    return all.doOnNext(e -> releases.release(e.content())).then();
                }))
                .then(Mono.fromSupplier(() -> check(upload)))
                .doOnDiscard(PartEvent.class, e -> releases.release(e.content()));
    }

    private Mono<Void> store(ReceivedUpload upload, FilePartEvent first, Flux<PartEvent> all, Releases releases) {
        if (upload.sawFilePart) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "An upload has one audio_file, not several"));
        }
        upload.sawFilePart = true;
        String name = first.filename();
        if (name == null || name.isBlank()) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "No selected file"));
        }
        String extension = extensionOf(name);
        if (extension.isEmpty() || !props.accepts(extension)) {
            return Mono.error(new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported file type: Hark accepts " + String.join(", ", props.extensions()) + " files"));
        }
        upload.extension = extension;
        upload.fileName = name;
        long limit = props.maxUploadBytes();
        AudioHead head = new AudioHead();
        Flux<DataBuffer> content = all.map(PartEvent::content)
                .doOnNext(buffer -> {
                    upload.bytes += buffer.readableByteCount();
                    if (upload.bytes > limit) {
                        releases.release(buffer);
                        throw tooLarge();
                    }
                    // The type is decided by the content as soon as its first bytes are in, so a file that
                    // is not audio stops here, having stored no more than the buffers that carried its head.
                    if (head.fill(buffer)) {
                        var container = AudioSignature.recognise(head.bytes(), head.length());
                        if (container.isEmpty()) {
                            releases.release(buffer);
                            throw notAudio(head, upload.bytes);
                        }
                        // Kept as what the content is; the type the client declared is never used.
                        upload.mimeType = container.get().mediaType();
                    }
                })
                .concatWith(Mono.<DataBuffer>defer(() -> upload.bytes > 0 && !head.isFull()
                        // The whole file was shorter than the head: too short to be a recording. (An empty
                        // file is left to check(), which says so.)
                        ? Mono.error(notAudio(head, upload.bytes))
                        : Mono.empty()));
        // The client's file name gave the extension only; the key is made from the job id.
        // Beginning an upload does no I/O, so it is begun here on the event loop.
        ObjectUpload audio = storage.objects().upload(Storage.original(upload.jobId(), extension));
        upload.audio = audio;
        byte[] copy = new byte[COPY_BYTES];
        MessageDigest digest = upload.fileDigest;
        // The checks above ran on the event loop; a write may wait for the disk or send a part to the
        // bucket, so it runs on boundedElastic, with at most two buffers queued for it.
        return content.publishOn(Schedulers.boundedElastic(), false, 2)
                // handle, not doOnNext: it passes nothing on, so then() never sees (and discards) a
                // buffer that was written and released here, and publishOn discards only what it still
                // queues. A written buffer thus has no second owner and is released directly, not
                // through releases, which would remember every buffer of a long recording.
                .<Void>handle((buffer, sink) -> {
                    try {
                        while (buffer.readableByteCount() > 0) {
                            int n = Math.min(copy.length, buffer.readableByteCount());
                            buffer.read(copy, 0, n);
                            audio.write(copy, 0, n);
                            if (digest != null) {
                                digest.update(copy, 0, n);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        if (!upload.abandoned) {
                            sink.error(e);
                        }
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                // Buffers still queued for the writer when the upload is refused or the client leaves.
                .doOnDiscard(DataBuffer.class, releases::release)
                .then();
    }

    private static ApiException notAudio(AudioHead head, long size) {
        return new ApiException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, AudioSignature.refusal(head.bytes(), head.length(), size));
    }

    private ReceivedUpload check(ReceivedUpload upload) {
        if (!upload.sawFilePart) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "No audio file: send it in the form field 'audio_file'");
        }
        if (upload.bytes == 0) {
            // Its upload, which never wrote a byte, is aborted with the error (receive's onErrorResume).
            throw new ApiException(HttpStatus.BAD_REQUEST, "The audio file is empty");
        }
        return upload;
    }

    public ApiException tooLarge() {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE, "File too large: the limit is " + props.maxUploadMb() + " MB");
    }

    static String extensionOf(String filename) {
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return "";
        }
        String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,8}") ? ext : "";
    }

    /**
     * Releases each buffer of a refused upload once, however many parties hand it back. Refusing
     * cancels the request body while a part event is still being delivered, and on the server that
     * in-flight event is then discarded as well (the multipart reader's concatMap discards the value
     * it is delivering when cancelled), so the buffer the refusal released comes back to the discard
     * hook. Released twice, it freed Netty's read buffer under the connection: reactor-netty logged
     * IllegalReferenceCountException and now and then dropped the connection before the 413 or 415
     * was written.
     */
    private static final class Releases {
        private final Set<DataBuffer> released =
                Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        void release(DataBuffer buffer) {
            if (released.add(buffer)) {
                DataBufferUtils.release(buffer);
            }
        }
    }
}
