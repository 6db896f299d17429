package hark.prep.prepare;

import hark.platform.PermanentFailure;
import hark.platform.audio.AudioInfo;
import hark.platform.audio.AudioTarget;
import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Validates an upload and turns it into what the engine wants. Offline engines get 16 kHz mono
 * PCM decoded straight from the original (a lossy MP3 step first costs them words); the OpenAI
 * engine gets the original design's rule: WAV, FLAC or anything over 25 MB becomes a 128 kbit/s MP3.
 * ffmpeg works file to file, so the recording never enters the JVM.
 */
@Component
public class AudioPreparer {

    private final Ffmpeg ffmpeg;
    private final PrepProperties props;

    public AudioPreparer(Ffmpeg ffmpeg, PrepProperties props) {
        this.ffmpeg = ffmpeg;
        this.props = props;
    }

    /**
     * The prepared audio: the original itself when it needs nothing done, else a new file;
     * {@code compressed} when the original design's MP3 rule applied.
     */
    public record Prepared(Path path, AudioInfo info, boolean compressed) {}

    /** @param dir where a new file goes (the stage's scratch folder) */
    public Prepared prepare(Path original, Path dir) {
        AudioInfo info = ffmpeg.probe(original);
        if (info.durationSeconds() > props.maxDurationSeconds()) {
            throw new PermanentFailure("The recording is " + Durations.words(info.durationSeconds())
                    + " long; Hark takes recordings of up to " + Durations.words(props.maxDurationSeconds()) + ".");
        }
        AudioTarget target = props.target();
        if (target == AudioTarget.MP3 && !isLossless(info) && info.sizeBytes() <= target.maxBytes()) {
            return new Prepared(original, info, false);
        }
        Path prepared = dir.resolve("prepared." + target.extension());
        List<String> args = new ArrayList<>(Ffmpeg.input(original));
        args.addAll(List.of("-map", "0:a:0", "-vn"));
        args.addAll(target.codecArgs());
        if (target == AudioTarget.MP3) {
            args.addAll(List.of("-b:a", props.bitrate()));
        }
        args.add(prepared.toString());
        try {
            ffmpeg.run(args);
        } catch (Ffmpeg.FfmpegException e) {
            throw new PermanentFailure("The audio could not be decoded; the file may be damaged.", e);
        }
        return new Prepared(prepared, ffmpeg.probe(prepared), target == AudioTarget.MP3);
    }

    private static boolean isLossless(AudioInfo info) {
        String format = info.format() == null ? "" : info.format();
        return format.contains("wav") || format.contains("flac");
    }
}
