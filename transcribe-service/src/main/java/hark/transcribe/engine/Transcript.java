package hark.transcribe.engine;

import java.util.List;

/** An engine's answer for one chunk: the text, and timed segments when the engine gives them. */
public record Transcript(String text, List<Segment> segments) {

    public Transcript {
        text = text == null ? "" : text.strip();
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /** A span of recognized text, in seconds from the start of the chunk. */
    public record Segment(double startSeconds, double endSeconds, String text) {}
}
