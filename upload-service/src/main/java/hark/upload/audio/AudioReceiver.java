package hark.upload.audio;

import hark.platform.audio.AudioSignature;
import hark.platform.storage.Disk;
import hark.platform.storage.Storage;
import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.StandardOpenOption;
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

/**
 * Streams a multipart upload straight to a file under the storage root, buffer by buffer, so a
 * recording of any size costs the same small memory. The size limit is enforced on the bytes as
 * they arrive, whatever the request claimed, and a refused upload leaves no file behind. The file
 * must be named as audio and its first bytes must show an audio container ({@link AudioSignature}).
 */
@Component
public class AudioReceiver {

    static final String FILE_FIELD = "audio_file";
    /** Parts of one upload form, the file included (parent_id and node_type are the others). */
    static final int MAX_PARTS = 16;
    /** Characters of all the other fields together. */
    static final int MAX_FIELD_BYTES = 16 * 1024;

    private final Storage storage;
    private final UploadProperties props;

    public AudioReceiver(Storage storage, UploadProperties props) {
        this.storage = storage;
        this.props = props;
    }

    public Mono<ReceivedUpload> receive(Flux<PartEvent> events) {
        ReceivedUpload upload = new ReceivedUpload();
        // Opening a file waits for the disk, so the upload's file is opened off the event loop before
        // the first part is read (the parts are still asked for on the loop: EventLoopDemand). Opened
        // later, on the thread that hands over the file part, it would block that loop; opened from a
        // thread of its own halfway through the form, the refusal of a part ran into a cancelled
        // window that went on reading the rest of the body.
        return Mono.usingWhen(
                        Disk.call(() -> open(upload)),
                        file -> read(events, upload, file),
                        file -> Disk.call(() -> {
                            file.close();
                            return file;
                        }))
                .onErrorResume(e -> Disk.deleteQuietly(upload.file).then(Mono.error(e)));
    }

    private AsynchronousFileChannel open(ReceivedUpload upload) throws IOException {
        // The client's file name is used for its extension only; the path comes from a fresh id.
        upload.file = storage.incoming().resolve(UUID.randomUUID() + ".part");
        return AsynchronousFileChannel.open(upload.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private Mono<ReceivedUpload> read(Flux<PartEvent> events, ReceivedUpload upload, AsynchronousFileChannel file) {
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
                        return store(upload, filePart, all, releases, file);
                    }
                    // Another file part is read past and dropped. Through releases: then() hands each
                    // event to the discard hook too, and a second release would free the network buffer
                    // that the parts after this one are slices of.
                    return all.doOnNext(e -> releases.release(e.content())).then();
                }))
                .then(Mono.fromSupplier(() -> check(upload)))
                .doOnDiscard(PartEvent.class, e -> releases.release(e.content()));
    }

    private Mono<Void> store(
            ReceivedUpload upload,
            FilePartEvent first,
            Flux<PartEvent> all,
            Releases releases,
            AsynchronousFileChannel file) {
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
        // The written buffers come back to be released.
        return DataBufferUtils.write(content, file)
                .doOnNext(DataBufferUtils::release)
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
            // The empty file goes with the error (receive's onErrorResume).
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
