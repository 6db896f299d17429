package hark.transcribe.engine.pocketsphinx;

import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.Transcript.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads what {@code pocketsphinx_continuous -time yes} prints. The program splits the audio at
 * pauses; for each stretch of speech it prints the hypothesis on one line (an empty line when it
 * heard no words), then one line per word: {@code word start end confidence}, times in seconds
 * from the start of the file. Those word lines also carry the sentence markers {@code <s>},
 * {@code </s>}, silences {@code <sil>}, fillers such as {@code [NOISE]}, and alternate
 * pronunciations written {@code the(2)}.
 */
final class PocketsphinxOutput {

    private static final Pattern PRONUNCIATION_VARIANT = Pattern.compile("\\(\\d+\\)$");

    private PocketsphinxOutput() {}

    /** One segment per stretch in which a real word was heard; a silent file gives an empty transcript. */
    static Transcript parse(String stdout) {
        List<Segment> segments = new ArrayList<>();
        List<TimedWord> utterance = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            TimedWord word = TimedWord.parse(line);
            // The text is rebuilt from the word lines, which hold the timings; the hypothesis line
            // only marks where the next stretch begins. "<s>" marks it too, in case a build prints
            // no hypothesis line.
            if (word == null || word.text().equals("<s>")) {
                close(utterance, segments);
            }
            if (word != null && word.spoken()) {
                utterance.add(word);
            }
        }
        close(utterance, segments);
        String text = segments.stream().map(Segment::text).collect(Collectors.joining(" "));
        return new Transcript(text, segments);
    }

    private static void close(List<TimedWord> utterance, List<Segment> segments) {
        if (utterance.isEmpty()) {
            return;
        }
        String text = utterance.stream().map(TimedWord::text).collect(Collectors.joining(" "));
        segments.add(new Segment(
                utterance.get(0).start(), utterance.get(utterance.size() - 1).end(), text));
        utterance.clear();
    }

    /** One word line; alternate pronunciation markers already removed. */
    private record TimedWord(String text, double start, double end) {

        /** The word on a {@code word start end confidence} line, or null for any other line. */
        static TimedWord parse(String line) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 4) {
                return null;
            }
            try {
                double start = Double.parseDouble(fields[1]);
                double end = Double.parseDouble(fields[2]);
                Double.parseDouble(fields[3]);
                String text = PRONUNCIATION_VARIANT.matcher(fields[0]).replaceFirst("");
                return new TimedWord(text, start, end);
            } catch (NumberFormatException e) {
                // A four-word hypothesis line; dictionary words are never numbers.
                return null;
            }
        }

        /** False for sentence markers, silences and fillers: <s>, <sil>, [NOISE], ++UH++, (NULL). */
        boolean spoken() {
            return !text.isEmpty()
                    && !(text.startsWith("<") && text.endsWith(">"))
                    && !(text.startsWith("[") && text.endsWith("]"))
                    && !(text.startsWith("++") && text.endsWith("++"))
                    && !(text.startsWith("(") && text.endsWith(")"));
        }
    }
}
