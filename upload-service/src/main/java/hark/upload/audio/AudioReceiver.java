package hark.upload.audio;

import hark.platform.storage.Storage;
import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;

/**
 * Streams a multipart upload straight to a file under the storage root, buffer by buffer, so a
 * recording of any size costs the same small memory. The size limit is enforced on the bytes as
 * they arrive, whatever the request claimed, and a refused upload leaves no file behind.
 */
@Component
public class AudioReceiver {

    static final String FILE_FIELD = "audio_file";

    private final Storage storage;
    private final UploadProperties props;

    public AudioReceiver(Storage storage, UploadProperties props) {
        this.storage = storage;
        this.props = props;
    }

    public Mono<ReceivedUpload> receive(Flux<PartEvent> events) {
        ReceivedUpload upload = new ReceivedUpload();
        return events.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, all) -> {
                    PartEvent event = first.get();
                    if (event instanceof FormPartEvent form) {
                        upload.fields.put(form.name(), form.value());
                        return all.then();
                    }
                    if (event instanceof FilePartEvent file && FILE_FIELD.equals(file.name())) {
                        return store(upload, file, all);
                    }
                    return all.doOnNext(e -> DataBufferUtils.release(e.content())).then();
                }))
                .then(Mono.fromSupplier(() -> check(upload)))
                .doOnDiscard(PartEvent.class, e -> DataBufferUtils.release(e.content()))
                .onErrorResume(e -> Mono.fromRunnable(() -> deleteQuietly(upload.file)).then(Mono.error(e)));
    }

    private Mono<Void> store(ReceivedUpload upload, FilePartEvent first, Flux<PartEvent> all) {
        upload.sawFilePart = true;
        String name = first.filename();
        if (name == null || name.isBlank()) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "No selected file"));
        }
        String extension = extensionOf(name);
        if (extension.isEmpty() || !props.accepts(extension)) {
            return Mono.error(new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported file type: Hark accepts " + String.join(", ", props.extensions()) + " files"));
        }
        MediaType type = first.headers().getContentType();
        upload.extension = extension;
        upload.mimeType = type != null ? type.toString() : "application/octet-stream";
        // The client's file name is used for its extension only; the path comes from a fresh id.
        upload.file = storage.incoming().resolve(UUID.randomUUID() + ".part");
        long limit = props.maxUploadBytes();
        Flux<DataBuffer> content = all.map(PartEvent::content).doOnNext(buffer -> {
            upload.bytes += buffer.readableByteCount();
            if (upload.bytes > limit) {
                DataBufferUtils.release(buffer);
                throw tooLarge();
            }
        });
        return DataBufferUtils.write(content, upload.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private ReceivedUpload check(ReceivedUpload upload) {
        if (!upload.sawFilePart) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "No audio file: send it in the form field 'audio_file'");
        }
        if (upload.bytes == 0) {
            deleteQuietly(upload.file);
            throw new ApiException(HttpStatus.BAD_REQUEST, "The audio file is empty");
        }
        return upload;
    }

    public ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE,
                "File too large: the limit is " + props.maxUploadMb() + " MB");
    }

    static String extensionOf(String filename) {
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return "";
        }
        String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,8}") ? ext : "";
    }

    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing refers to a file left in incoming/, so it can be swept at any time
        }
    }
}
