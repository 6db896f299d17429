package hark.prep.chunk;

import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Cuts a prepared recording into chunks that together cover it exactly. Each cut goes at the
 * quietest moment of a window before the chunk's target length, so a chunk does not end
 * mid-word where a pause is near; ffmpeg copies the audio between cuts without re-encoding.
 */
@Component
public class Chunker {

    private final Ffmpeg ffmpeg;
    private final QuietestMoment quietest;
    private final PrepProperties props;

    public Chunker(Ffmpeg ffmpeg, QuietestMoment quietest, PrepProperties props) {
        this.ffmpeg = ffmpeg;
        this.quietest = quietest;
        this.props = props;
    }

    /** A piece of the recording: its file and where it sits, in seconds from the start. */
    public record Chunk(Path path, double startSeconds, double endSeconds) {}

    /**
     * The chunks, as new files in {@code dir}; a recording short enough for one chunk is its own
     * chunk, with no file made.
     */
    public List<Chunk> split(Path prepared, Path dir, double durationSeconds, long bytes) {
        List<Double> cuts = cuts(prepared, durationSeconds, props.chunkLength(durationSeconds, bytes));
        if (cuts.isEmpty()) {
            return List.of(new Chunk(prepared, 0, durationSeconds));
        }
        List<Path> files = segment(prepared, dir, cuts);
        if (files.size() != cuts.size() + 1) {
            throw new IllegalStateException("ffmpeg made " + files.size() + " chunks for " + cuts.size() + " cuts");
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            double start = i == 0 ? 0 : cuts.get(i - 1);
            double end = i == cuts.size() ? durationSeconds : cuts.get(i);
            chunks.add(new Chunk(files.get(i), start, end));
        }
        return chunks;
    }

    /**
     * Cut times, each at most {@code length} after the previous: the rest of the recording is shared
     * evenly among the chunks it still needs, and each cut moves back to the quietest moment of
     * the window before its target.
     */
    List<Double> cuts(Path audio, double duration, double length) {
        List<Double> cuts = new ArrayList<>();
        double last = 0;
        int remainingChunks;
        while ((remainingChunks = (int) Math.ceil((duration - last) / length - 1e-9)) > 1) {
            double step = (duration - last) / remainingChunks;
            double window = Math.min(props.cutWindowSeconds(), step / 2);
            last = quietest.find(audio, last + step - window, window);
            cuts.add(last);
        }
        return cuts;
    }

    private List<Path> segment(Path source, Path dir, List<Double> cuts) {
        String extension = source.getFileName().toString().replaceAll("^.*\\.", "");
        List<String> times =
                cuts.stream().map(t -> String.format(Locale.ROOT, "%.3f", t)).toList();
        List<String> args = new ArrayList<>(Ffmpeg.input(source));
        args.addAll(List.of(
                "-map",
                "0:a:0",
                "-vn",
                "-c",
                "copy",
                "-f",
                "segment",
                "-segment_times",
                String.join(",", times),
                "-reset_timestamps",
                "1",
                dir.resolve("chunk-%04d." + extension).toString()));
        ffmpeg.run(args);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("chunk-\\d{4}\\..+"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
