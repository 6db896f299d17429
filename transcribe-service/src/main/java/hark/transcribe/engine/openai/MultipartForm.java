package hark.transcribe.engine.openai;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A multipart/form-data body whose file part is streamed from disk, so a 25 MB chunk is never
 * held in memory.
 */
final class MultipartForm {

    private final String boundary = "hark-" + UUID.randomUUID();
    private final List<BodyPublisher> parts = new ArrayList<>();

    MultipartForm field(String name, String value) {
        parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n"));
        return this;
    }

    /** The file name is Hark's own (chunk files are named from ids), never a client's. */
    MultipartForm file(String name, Path file, String contentType) throws FileNotFoundException {
        parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: " + contentType + "\r\n\r\n"));
        parts.add(BodyPublishers.ofFile(file));
        parts.add(text("\r\n"));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher body() {
        List<BodyPublisher> all = new ArrayList<>(parts);
        all.add(text("--" + boundary + "--\r\n"));
        return BodyPublishers.concat(all.toArray(BodyPublisher[]::new));
    }

    private static BodyPublisher text(String s) {
        return BodyPublishers.ofString(s, StandardCharsets.UTF_8);
    }
}
