package hark.testing;

import java.util.Locale;
import java.util.Map;

/**
 * The bodies OpenAI's transcription endpoint answers with, written by hand so that
 * test-support needs no JSON library.
 */
final class ApiBodies {

    // What verbose_json reports as "language": OpenAI answers with the English name.
    private static final Map<String, String> LANGUAGE_NAMES = Map.of(
            "en", "english", "de", "german", "fr", "french", "es", "spanish", "it", "italian",
            "nl", "dutch", "pt", "portuguese", "ja", "japanese", "zh", "chinese", "ru", "russian");

    private ApiBodies() {
    }

    static String error(String message, String type, String param, String code) {
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type)
                + ",\"param\":" + quote(param) + ",\"code\":" + quote(code) + "}}";
    }

    /** The error "type" OpenAI uses for a status. */
    static String errorType(int status) {
        if (status == 429) {
            return "requests";
        }
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    /** A transcript in the requested response_format (already validated). */
    static Answer transcript(String text, Upload upload, java.time.Duration delay) {
        double seconds = WavLength.seconds(upload.file());
        switch (upload.responseFormat()) {
            case "text":
                return Answer.text(text, delay);
            case "srt":
                return Answer.text("1\n00:00:00,000 --> " + timestamp(seconds, ',') + "\n" + text + "\n\n", delay);
            case "vtt":
                return Answer.text("WEBVTT\n\n00:00:00.000 --> " + timestamp(seconds, '.') + "\n" + text + "\n\n",
                        delay);
            case "verbose_json":
                String language = upload.language() == null ? "english"
                        : LANGUAGE_NAMES.getOrDefault(upload.language(), upload.language());
                String duration = String.format(Locale.ROOT, "%.3f", seconds);
                return Answer.json(200, "{\"task\":\"transcribe\",\"language\":" + quote(language)
                        + ",\"duration\":" + duration + ",\"text\":" + quote(text)
                        + ",\"segments\":[{\"id\":0,\"seek\":0,\"start\":0.0,\"end\":" + duration
                        + ",\"text\":" + quote(text) + "}]}", delay);
            default:
                return Answer.json(200, "{\"text\":" + quote(text) + "}", delay);
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
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millisSeparator, millis % 1000);
    }
}
