package hark.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * One request the fake received and what it answered. Only the size, a digest and the first
 * bytes of the upload are kept, because a benchmark may send thousands of multi-MB chunks.
 *
 * @param sequence      arrival number, from 0
 * @param method        HTTP method
 * @param path          request path, without query
 * @param authorization the Authorization header as sent, or null
 * @param fields        the form's text fields (empty when the body was not a readable form)
 * @param fileName      the {@code file} part's file name, or null
 * @param fileSize      the {@code file} part's size in bytes, or -1 without a file part
 * @param fileSha256    lower-case hex SHA-256 of the file part, or null
 * @param fileHead      up to the first {@value #HEAD_BYTES} bytes of the file part (empty without one)
 * @param status        the HTTP status answered
 * @param arrivedAt     when the request reached the handler
 * @param answeredAt    when the answer was about to be sent, after any delay
 */
public record RecordedRequest(
        long sequence,
        String method,
        String path,
        String authorization,
        Map<String, String> fields,
        String fileName,
        long fileSize,
        String fileSha256,
        byte[] fileHead,
        int status,
        Instant arrivedAt,
        Instant answeredAt) {

    public static final int HEAD_BYTES = 16;

    public RecordedRequest {
        fields = Map.copyOf(fields);
        fileHead = fileHead.clone();
    }

    @Override
    public byte[] fileHead() {
        return fileHead.clone();
    }

    public String model() {
        return fields.get("model");
    }

    public String language() {
        return fields.get("language");
    }

    public String responseFormat() {
        return fields.get("response_format");
    }

    /** How long the request was held before its answer went out. */
    public Duration handlingTime() {
        return Duration.between(arrivedAt, answeredAt);
    }

    @Override
    public String toString() {
        return "RecordedRequest[#" + sequence + " " + method + " " + path + " -> " + status + ", fields=" + fields
                + ", file=" + fileName + " (" + fileSize + " bytes, head " + Arrays.toString(fileHead) + ")"
                + ", arrived " + arrivedAt + ", answered " + answeredAt + "]";
    }
}
