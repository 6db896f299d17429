package hark.testing;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request's multipart form as WireMock parsed it, read the way OpenAI reads a transcription form. */
final class FormParts {

    private final String contentType;
    private final Collection<Request.Part> parts;

    private FormParts(String contentType, Collection<Request.Part> parts) {
        this.contentType = contentType;
        this.parts = parts;
    }

    static FormParts of(Request request) {
        Collection<Request.Part> parts = request.getParts(); // null for a form without parts
        return new FormParts(request.getHeader("Content-Type"), parts == null ? List.of() : parts);
    }

    /** Why the body is not a form at all, or null when it is one. */
    String notAFormReason() {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return "Content-Type must be multipart/form-data, was " + contentType;
        }
        return null;
    }

    /** The first part called {@code name}, or null. */
    Request.Part part(String name) {
        for (Request.Part part : parts) {
            if (name.equals(part.getName())) {
                return part;
            }
        }
        return null;
    }

    /**
     * The parts without a file name, as text; empty when the body is not a form. A repeated name
     * (such as {@code timestamp_granularities[]}) keeps all its values, joined with commas.
     */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (notAFormReason() != null) {
            return fields;
        }
        for (Request.Part part : parts) {
            if (part.getFileName() == null) {
                fields.merge(part.getName(), new String(bytes(part), StandardCharsets.UTF_8), (a, b) -> a + "," + b);
            }
        }
        return fields;
    }

    /** The {@code file} part, or null (also when the body is not a form). */
    Request.Part file() {
        return notAFormReason() != null ? null : part("file");
    }

    /** Only for a form that passed {@link UploadCheck}. */
    Upload upload(long sequence) {
        Request.Part file = file();
        HttpHeader type = file.getHeader("Content-Type");
        return new Upload(
                fields(), file.getFileName(), type.isPresent() ? type.firstValue() : null, bytes(file), sequence);
    }

    /** A part's content; not copied, so do not change it. */
    static byte[] bytes(Request.Part part) {
        byte[] bytes = part.getBody() == null ? null : part.getBody().asBytes();
        return bytes == null ? new byte[0] : bytes;
    }
}
