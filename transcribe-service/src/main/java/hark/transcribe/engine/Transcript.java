package hark.transcribe.engine;

import java.util.List;

/**
 * An engine's answer for one chunk: the text, timed segments when the engine gives them, and the
 * language it heard when it says (a multilingual Whisper model does; null otherwise).
 */
public record Transcript(String text, List<Segment> segments, String language) {

    public Transcript {
        text = text == null ? "" : text.strip();
        segments = segments == null ? List.of() : List.copyOf(segments);
        language = language == null || language.isBlank() ? null : language.strip();
    }

    public Transcript(String text, List<Segment> segments) {
        this(text, segments, null);
    }

    /** A span of recognized text, in seconds from the start of the chunk. */
    public record Segment(double startSeconds, double endSeconds, String text) {}
}
