package hark.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses off a socket, one after another, for tests about the connection
 * itself (which an HTTP client library hides). Knows fixed-length and chunked bodies only.
 */
final class RawHttp {

    private RawHttp() {}

    /** Reads one whole response and returns its status code. */
    static int readStatus(InputStream in) throws IOException {
        String statusLine = line(in);
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(
                        lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16);
                    size > 0;
                    size = Long.parseLong(line(in).trim(), 16)) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else {
            in.skipNBytes(length);
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("The connection closed in the middle of a response");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
