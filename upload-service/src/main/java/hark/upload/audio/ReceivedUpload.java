package hark.upload.audio;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What one multipart upload carried: its form fields and, once streamed to disk, its audio. */
public final class ReceivedUpload {

    final Map<String, String> fields = new HashMap<>();
    Path file;
    String extension;
    String mimeType;
    long bytes;
    boolean sawFilePart;
    int parts;
    long fieldBytes;

    public String field(String name) {
        return fields.get(name);
    }

    public Path file() {
        return file;
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
}
