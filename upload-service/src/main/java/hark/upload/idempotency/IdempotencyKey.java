package hark.upload.idempotency;

import hark.platform.web.ApiException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The client's name for one upload, from the {@code Idempotency-Key} header: sent again with a retry,
 * it makes the retry answer the node the first attempt made. It is the client's string, so it is
 * checked before a byte of the body is read: short (it is stored, and compared in an index), and
 * printable ASCII, so that it reads the same in the database, the logs and the client.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (!valid(value)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    HEADER + " must be 1 to " + MAX_LENGTH + " printable ASCII characters (a UUID, say)");
        }
    }

    /** The request's key; null when it has none. More than one is refused: which would count? */
    public static IdempotencyKey of(HttpHeaders headers) {
        List<String> values = headers.get(HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Send one " + HEADER + ", not " + values.size());
        }
        return new IdempotencyKey(values.get(0));
    }

    private static boolean valid(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            return false;
        }
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    @Override
    public String toString() {
        return value;
    }
}
