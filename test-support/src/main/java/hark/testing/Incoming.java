package hark.testing;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/** A request as read off the wire: its line, key, and the form if the body is one. */
final class Incoming {

    private final long sequence;
    private final Instant arrivedAt;
    private final String method;
    private final String path;
    private final String authorization;
    private final MultipartForm form;
    private final String formError;

    private Incoming(long sequence, Instant arrivedAt, String method, String path, String authorization,
                     MultipartForm form, String formError) {
        this.sequence = sequence;
        this.arrivedAt = arrivedAt;
        this.method = method;
        this.path = path;
        this.authorization = authorization;
        this.form = form;
        this.formError = formError;
    }

    /** Reads the whole body: the form is parsed even for requests that will be refused, so the record shows it. */
    static Incoming read(HttpExchange exchange, long sequence, Instant arrivedAt) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        MultipartForm form = null;
        String formError = null;
        try {
            form = MultipartForm.parse(contentType, body);
        } catch (MultipartForm.MalformedFormException e) {
            formError = e.getMessage();
        }
        return new Incoming(sequence, arrivedAt, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), form, formError);
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    String authorization() {
        return authorization;
    }

    /** The parsed form, or null when the body was not one (see {@link #formError()}). */
    MultipartForm form() {
        return form;
    }

    String formError() {
        return formError;
    }

    /** Only for a form that passed {@link UploadCheck}. */
    Upload upload() {
        MultipartForm.Part file = form.part("file");
        return new Upload(form.fields(), file.fileName(), file.contentType(), file.data(), sequence);
    }

    RecordedRequest record(int status, Instant answeredAt) {
        MultipartForm.Part file = form == null ? null : form.part("file");
        byte[] data = file == null ? null : file.data();
        return new RecordedRequest(sequence, method, path, authorization,
                form == null ? Map.of() : form.fields(),
                file == null ? null : file.fileName(),
                data == null ? -1 : data.length,
                data == null ? null : sha256(data),
                data == null ? new byte[0] : Arrays.copyOf(data, Math.min(data.length, RecordedRequest.HEAD_BYTES)),
                status, arrivedAt, answeredAt);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
