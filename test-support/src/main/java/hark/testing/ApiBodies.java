package hark.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.Locale;
import java.util.Map;

/**
 * The answers OpenAI's transcription endpoint gives, as WireMock responses. The JSON is written
 * by hand because its exact shape is part of what Hark reads: OpenAI sends {@code "param":null},
 * and a duration with three decimals.
 */
final class ApiBodies {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    // What verbose_json reports as "language": OpenAI answers with the English name.
    private static final Map<String, String> LANGUAGE_NAMES = Map.of(
            "en",
            "english",
            "de",
            "german",
            "fr",
            "french",
            "es",
            "spanish",
            "it",
            "italian",
            "nl",
            "dutch",
            "pt",
            "portuguese",
            "ja",
            "japanese",
            "zh",
            "chinese",
            "ru",
            "russian");

    private ApiBodies() {}

    static ResponseDefinitionBuilder json(int status, String json) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON).withBody(json);
    }

    static ResponseDefinitionBuilder text(String text) {
        return aResponse().withStatus(200).withHeader("Content-Type", TEXT).withBody(text);
    }

    /** An error in OpenAI's shape, sent at once. */
    static ResponseDefinitionBuilder error(int status, String message, String param, String code) {
        return json(status, errorJson(message, errorType(status), param, code));
    }

    static String errorJson(String message, String type, String param, String code) {
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type) + ",\"param\":" + quote(param)
                + ",\"code\":" + quote(code) + "}}";
    }

    /** The error "type" OpenAI uses for a status. */
    static String errorType(int status) {
        if (status == 429) {
            return "requests";
        }
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    /** A transcript in the requested response_format (already validated). */
    static ResponseDefinitionBuilder transcript(String text, Upload upload) {
        double seconds = WavLength.seconds(upload.file());
        switch (upload.responseFormat()) {
            case "text":
                return text(text);
            case "srt":
                return text("1\n00:00:00,000 --> " + timestamp(seconds, ',') + "\n" + text + "\n\n");
            case "vtt":
                return text("WEBVTT\n\n00:00:00.000 --> " + timestamp(seconds, '.') + "\n" + text + "\n\n");
            case "verbose_json":
                String language = upload.language() == null
                        ? "english"
                        : LANGUAGE_NAMES.getOrDefault(upload.language(), upload.language());
                String duration = String.format(Locale.ROOT, "%.3f", seconds);
                return json(
                        200,
                        "{\"task\":\"transcribe\",\"language\":" + quote(language)
                                + ",\"duration\":" + duration + ",\"text\":" + quote(text)
                                + ",\"segments\":[{\"id\":0,\"seek\":0,\"start\":0.0,\"end\":" + duration
                                + ",\"text\":" + quote(text) + "}]}");
            default:
                return json(200, "{\"text\":" + quote(text) + "}");
        }
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String timestamp(double seconds, char millisSeparator) {
        long millis = Math.round(seconds * 1000);
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d%c%03d",
                millis / 3_600_000,
                millis / 60_000 % 60,
                millis / 1000 % 60,
                millisSeparator,
                millis % 1000);
    }
}
