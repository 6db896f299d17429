package hark.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code multipart/form-data} body (RFC 7578). Works on bytes, not text, because the
 * file part is raw audio and any decoding would corrupt it.
 */
final class MultipartForm {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] BLANK_LINE = {'\r', '\n', '\r', '\n'};
    private static final byte[] DASH_DASH = {'-', '-'};

    /** One part; {@code fileName} is null for a plain field. */
    record Part(String name, String fileName, String contentType, byte[] data) {

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Why a body could not be read as a form; the message goes back to the client in a 400. */
    static final class MalformedFormException extends Exception {
        MalformedFormException(String message) {
            super(message);
        }
    }

    private final List<Part> parts;

    private MultipartForm(List<Part> parts) {
        this.parts = parts;
    }

    static MultipartForm parse(String contentType, byte[] body) throws MalformedFormException {
        String boundary = boundary(contentType);
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = concat(CRLF, dashBoundary);
        // The first boundary may follow a preamble, which the RFC says to ignore.
        int first = 0;
        if (!startsWith(body, 0, dashBoundary)) {
            int afterPreamble = indexOf(body, delimiter, 0);
            if (afterPreamble < 0) {
                throw new MalformedFormException("Could not parse multipart form: boundary not found");
            }
            first = afterPreamble + CRLF.length;
        }
        List<Part> parts = new ArrayList<>();
        int pos = first + dashBoundary.length;
        while (!startsWith(body, pos, DASH_DASH)) {
            pos = skipLineEnd(body, pos);
            int contentStart;
            String headers;
            if (startsWith(body, pos, CRLF)) {
                headers = "";
                contentStart = pos + CRLF.length;
            } else {
                int headersEnd = indexOf(body, BLANK_LINE, pos);
                if (headersEnd < 0) {
                    throw new MalformedFormException("Could not parse multipart form: part headers not terminated");
                }
                headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
                contentStart = headersEnd + BLANK_LINE.length;
            }
            int contentEnd = indexOf(body, delimiter, contentStart);
            if (contentEnd < 0) {
                throw new MalformedFormException("Could not parse multipart form: part not terminated");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + delimiter.length;
        }
        return new MultipartForm(parts);
    }

    /** The first part called {@code name}, or null. */
    Part part(String name) {
        for (Part p : parts) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The parts without a file name, as text. A repeated name (such as
     * {@code timestamp_granularities[]}) keeps all its values, joined with commas.
     */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Part p : parts) {
            if (p.fileName() == null) {
                fields.merge(p.name(), p.text(), (a, b) -> a + "," + b);
            }
        }
        return fields;
    }

    private static String boundary(String contentType) throws MalformedFormException {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new MalformedFormException("Content-Type must be multipart/form-data, was " + contentType);
        }
        String boundary = HeaderParams.parse(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new MalformedFormException("Could not parse multipart form: no boundary in Content-Type");
        }
        return boundary;
    }

    private static Part part(String headers, byte[] data) throws MalformedFormException {
        String disposition = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new MalformedFormException("Could not parse multipart form: part without Content-Disposition: form-data");
        }
        Map<String, String> params = HeaderParams.parse(disposition);
        String name = params.get("name");
        if (name == null) {
            throw new MalformedFormException("Could not parse multipart form: part without a name");
        }
        return new Part(name, params.get("filename"), contentType, data);
    }

    /** Steps over the optional whitespace and the line end after a boundary. */
    private static int skipLineEnd(byte[] body, int pos) throws MalformedFormException {
        while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
            pos++;
        }
        if (!startsWith(body, pos, CRLF)) {
            throw new MalformedFormException("Could not parse multipart form: no line end after boundary");
        }
        return pos + CRLF.length;
    }

    private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
        if (pos < 0 || pos + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // A plain scan: the delimiter is long and rarely starts a false match, so this stays fast on MBs.
    private static int indexOf(byte[] body, byte[] needle, int from) {
        int last = body.length - needle.length;
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (body[i] == needle[0] && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
