package hark.prep.chunk;

import hark.platform.audio.Ffmpeg;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Finds the quietest moment in a stretch of a recording: ffmpeg decodes just that stretch to
 * 8 kHz mono PCM on a pipe, and the energy of 20 ms frames is summed over a sliding 300 ms span.
 * Only one number per frame is kept, so memory is the same for any recording.
 */
@Component
public class QuietestMoment {

    static final int RATE = 8_000;
    static final int FRAME_SAMPLES = RATE / 50;
    static final int SPAN_FRAMES = 15;

    private final Ffmpeg ffmpeg;

    public QuietestMoment(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Seconds from the start of {@code audio} to the middle of the quietest span in [from, from + length]. */
    public double find(Path audio, double from, double length) {
        double[] energies = frameEnergies(audio, from, length);
        if (energies.length < SPAN_FRAMES) {
            return from + length;
        }
        double span = 0;
        for (int i = 0; i < SPAN_FRAMES; i++) {
            span += energies[i];
        }
        double quietest = span;
        int best = 0;
        for (int start = 1; start + SPAN_FRAMES <= energies.length; start++) {
            span += energies[start + SPAN_FRAMES - 1] - energies[start - 1];
            // "<=": among equally quiet spans the latest wins, keeping chunks near their target length.
            if (span <= quietest) {
                quietest = span;
                best = start;
            }
        }
        return from + (best + SPAN_FRAMES / 2.0) * FRAME_SAMPLES / RATE;
    }

    private double[] frameEnergies(Path audio, double from, double length) {
        double[] energies = new double[(int) Math.ceil(length * RATE / FRAME_SAMPLES) + 1];
        int[] frames = {0};
        List<String> args = new ArrayList<>(List.of("-ss", seconds(from), "-t", seconds(length)));
        args.addAll(Ffmpeg.input(audio));
        args.addAll(List.of("-map", "0:a:0", "-ac", "1", "-ar", Integer.toString(RATE), "-f", "s16le", "pipe:1"));
        ffmpeg.run(args, stdout -> {
            frames[0] = readFrames(stdout, energies);
        });
        return Arrays.copyOf(energies, frames[0]);
    }

    private static int readFrames(InputStream stdout, double[] energies) throws IOException {
        var in = new DataInputStream(new BufferedInputStream(stdout, 1 << 16));
        int frames = 0;
        try {
            while (frames < energies.length) {
                double energy = 0;
                for (int i = 0; i < FRAME_SAMPLES; i++) {
                    int lo = in.readUnsignedByte();
                    int sample = (short) (lo | in.readUnsignedByte() << 8);
                    energy += (double) sample * sample;
                }
                energies[frames++] = energy;
            }
        } catch (EOFException end) {
            // a partial last frame is dropped
        }
        in.transferTo(OutputStream.nullOutputStream());
        return frames;
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, value));
    }
}
