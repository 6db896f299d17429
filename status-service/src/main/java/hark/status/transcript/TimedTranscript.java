package hark.status.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A transcript with its timings ({@code ?format=json}): the text, and its segments on the recording's timeline. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TimedTranscript(
        @JsonProperty("node_id") long nodeId,
        String text,

        @Schema(description = "The language the engine heard, when it says; else null.")
        String language,

        @Schema(description = "In order; empty when the engine gave no timestamps.")
        List<Segment> segments) {

    /** A stretch of speech: seconds from the recording's start, and what was said. */
    public record Segment(double start, double end, String text) {}
}
