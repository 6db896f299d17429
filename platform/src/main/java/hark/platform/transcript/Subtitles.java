package hark.platform.transcript;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** SRT and WebVTT files from timed cues; pure text work, no I/O. */
public final class Subtitles {

    /**
     * Chunks may overlap at their edges, so a later chunk's first segment can start a moment before
     * an earlier chunk's last one; keeping each chunk's cues together reads better than interleaving.
     */
    private static final Comparator<Cue> ORDER =
            Comparator.comparingInt(Cue::chunk).thenComparingDouble(Cue::startSeconds);

    private Subtitles() {}

    /**
     * One caption.
     *
     * @param chunk        index of the chunk it came from, the first ordering key
     * @param startSeconds from the start of the recording (the transcribe stage already shifted it)
     */
    public record Cue(int chunk, double startSeconds, double endSeconds, String text) {}

    /** SubRip: cues numbered from 1, {@code HH:MM:SS,mmm}, a blank line between cues. */
    public static String srt(List<Cue> cues) {
        List<Cue> ordered = readable(cues);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ordered.size(); i++) {
            Cue cue = ordered.get(i);
            if (i > 0) {
                out.append('\n');
            }
            out.append(i + 1)
                    .append('\n')
                    .append(time(cue.startSeconds(), ','))
                    .append(" --> ")
                    .append(time(end(cue), ','))
                    .append('\n')
                    .append(text(cue.text()))
                    .append('\n');
        }
        return out.toString();
    }

    /** WebVTT: the {@code WEBVTT} header, then cues with {@code HH:MM:SS.mmm} times. */
    public static String vtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (Cue cue : readable(cues)) {
            out.append('\n')
                    .append(time(cue.startSeconds(), '.'))
                    .append(" --> ")
                    .append(time(end(cue), '.'))
                    .append('\n')
                    .append(vttText(cue.text()))
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * {@code HH:MM:SS<sep>mmm}, rounded to the nearest millisecond (a second carries over, 1.9996 is
     * 00:00:02,000); hours keep counting past 99 rather than wrapping; below zero is zero.
     */
    static String time(double seconds, char millisSeparator) {
        long millis = Math.max(0, Math.round(seconds * 1000));
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d%c%03d",
                millis / 3_600_000,
                millis / 60_000 % 60,
                millis / 1000 % 60,
                millisSeparator,
                millis % 1000);
    }

    /** Cues in order, without empty ones: a cue with no text line would end the file's cue early. */
    private static List<Cue> readable(List<Cue> cues) {
        List<Cue> kept = new ArrayList<>();
        for (Cue cue : cues) {
            if (cue.text() != null && !cue.text().isBlank()) {
                kept.add(cue);
            }
        }
        kept.sort(ORDER);
        return kept;
    }

    /** An engine slip (end before start) would make players drop the cue; show it for an instant instead. */
    private static double end(Cue cue) {
        return Math.max(cue.startSeconds(), cue.endSeconds());
    }

    /** A blank line inside a cue ends it in both formats, so line breaks are kept but blank lines dropped. */
    private static String text(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "\n");
    }

    /** WebVTT reads {@code <} and {@code &} as markup, and {@code -->} in text as a timing line. */
    private static String vttText(String text) {
        return text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
