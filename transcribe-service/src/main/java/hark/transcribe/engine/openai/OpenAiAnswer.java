package hark.transcribe.engine.openai;

import hark.transcribe.engine.Transcript;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the API's answer: a transcript on 2xx, otherwise the failure with the API's own message. */
final class OpenAiAnswer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiAnswer() {}

    static Transcript read(HttpResponse<String> response, Clock clock) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw ApiCallFailure.ofStatus(
                    status,
                    apiMessage(response.body()),
                    RetryAfter.parse(
                            response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw ApiCallFailure.of(ApiCallFailure.Kind.MALFORMED, "the answer is not JSON", e);
        }
        JsonNode text = body == null ? null : body.get("text");
        if (text == null || !text.isString()) {
            throw ApiCallFailure.of(ApiCallFailure.Kind.MALFORMED, "the answer has no text", null);
        }
        return new Transcript(text.stringValue(), segments(body.path("segments")));
    }

    /** verbose_json's segments, in seconds from the start of the file sent. */
    private static List<Transcript.Segment> segments(JsonNode segments) {
        List<Transcript.Segment> result = new ArrayList<>();
        if (segments.isArray()) {
            for (JsonNode segment : segments) {
                if (segment.path("start").isNumber() && segment.path("end").isNumber()) {
                    result.add(new Transcript.Segment(
                            segment.get("start").asDouble(),
                            segment.get("end").asDouble(),
                            segment.path("text").asString("").strip()));
                }
            }
        }
        return result;
    }

    /** OpenAI's errors are {@code {"error":{"message":...}}}; other servers may send anything. */
    private static String apiMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isString()) {
                return message.stringValue();
            }
        } catch (JacksonException notJson) {
            // fall through to the raw text
        }
        String text = body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
