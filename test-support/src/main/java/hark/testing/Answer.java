package hark.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** What the fake sends back for one request, decided before any waiting. */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers, Duration delay) {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    static Answer json(int status, String json, Duration delay) {
        return new Answer(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of(), delay);
    }

    static Answer text(String text, Duration delay) {
        return new Answer(200, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of(), delay);
    }

    /** An error in OpenAI's shape, sent at once. */
    static Answer error(int status, String message, String param, String code) {
        return json(status, ApiBodies.error(message, ApiBodies.errorType(status), param, code), Duration.ZERO);
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, contentType, body, Map.copyOf(more), delay);
    }

    Answer withDelay(Duration newDelay) {
        return new Answer(status, contentType, body, headers, newDelay);
    }
}
