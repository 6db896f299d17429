package hark.status.transcript;

import hark.platform.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The shapes a transcript can be exported in, by the name a client asks for. */
public enum ExportFormat {
    TXT(new MediaType("text", "plain", StandardCharsets.UTF_8)),
    // SubRip has no registered type; x-subrip is what players and browsers know. The charset is said
    // because transcripts are rarely plain ASCII.
    SRT(new MediaType("application", "x-subrip", StandardCharsets.UTF_8)),
    VTT(new MediaType("text", "vtt", StandardCharsets.UTF_8)),
    /** The text with its timed segments, for a page that follows the recording as it plays. */
    JSON(MediaType.APPLICATION_JSON);

    private final MediaType mediaType;

    ExportFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /** The file name extension, also the {@code format} parameter's value. */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code ?format=} value, any case; anything else is the client's mistake. */
    public static ExportFormat named(String name) {
        for (ExportFormat format : values()) {
            if (format.extension().equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        throw new ApiException(
                HttpStatus.BAD_REQUEST,
                "Unknown transcript format '" + name
                        + "': use txt (plain text), srt (SubRip), vtt (WebVTT) or json (text and timed segments).");
    }

    /**
     * Without {@code ?format=}, the Accept header may name one of the types (highest quality wins);
     * wildcards and anything else give plain text, which every transcript has.
     */
    public static ExportFormat accepted(List<MediaType> accept) {
        ExportFormat best = TXT;
        double bestQuality = 0;
        for (MediaType type : accept) {
            for (ExportFormat format : values()) {
                if (type.equalsTypeAndSubtype(format.mediaType) && type.getQualityValue() > bestQuality) {
                    best = format;
                    bestQuality = type.getQualityValue();
                }
            }
        }
        return best;
    }
}
