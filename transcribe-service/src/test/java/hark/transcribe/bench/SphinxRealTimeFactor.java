package hark.transcribe.bench;

import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import hark.testing.WordErrorRate;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.sphinx.SphinxEngine;

import javax.sound.sampled.AudioSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline engine's speed and accuracy on the shipped real recordings: the first call (model
 * load included), then the median real-time factor of warm calls, and the word error rate.
 * Run by {@code bench/sphinx-rtf.sh}; not a test.
 */
public final class SphinxRealTimeFactor {

    private SphinxRealTimeFactor() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("sphinx-rtf");
        SphinxEngine engine = new SphinxEngine(1);
        boolean cold = true;
        for (SpeechClip clip : SpeechClip.values()) {
            Path wav = TestAudio.speech(clip.file(), dir);
            double seconds = durationSeconds(wav);
            long start = System.nanoTime();
            Transcript first = engine.transcribe(wav);
            double firstSeconds = (System.nanoTime() - start) / 1e9;
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                engine.transcribe(wav);
                warm.add((System.nanoTime() - t) / 1e9);
            }
            double median = median(warm);
            System.out.printf("%s (%.2f s): first call %.2f s%s, warm median %.2f s (RTF %.2f over %d runs),"
                            + " WER %.0f%%, heard \"%s\"%n", clip.file(), seconds, firstSeconds,
                    cold ? " (model load included)" : "", median, median / seconds, runs,
                    100 * WordErrorRate.of(clip.transcript(), first.text()), first.text());
            cold = false;
        }
    }

    private static double durationSeconds(Path wav) throws Exception {
        try (var in = AudioSystem.getAudioInputStream(wav.toFile())) {
            return in.getFrameLength() / in.getFormat().getFrameRate();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
