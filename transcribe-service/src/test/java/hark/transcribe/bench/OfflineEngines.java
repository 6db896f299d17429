package hark.transcribe.bench;

import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import hark.testing.WordErrorRate;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.TranscriptionEngine;
import hark.transcribe.engine.pocketsphinx.PocketsphinxCommand;
import hark.transcribe.engine.pocketsphinx.PocketsphinxEngine;
import hark.transcribe.engine.sphinx.SphinxEngine;
import hark.transcribe.engine.whisper.WhisperEngine;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The offline engines' speed and accuracy side by side on the same real recordings: the in-JVM
 * Sphinx4 engine, the pocketsphinx command (when installed) and Whisper with every model file in
 * the folder {@code HARK_BENCH_MODELS} names (when set). Per recording and engine: the first call
 * (Sphinx4's includes its model load on the first recording; Whisper's worker has loaded its model
 * before), the median of warm calls, alternating between engines so all see the same machine load,
 * the real-time factor, and the word error rate of the first call. Run by {@code bench/sphinx-rtf.sh}
 * and {@code bench/whisper.sh}; not a test.
 */
public final class OfflineEngines {

    // Debian's pocketsphinx-testdata: five sentences of a LibriVox recording with their transcript.
    // Not shipped in the repository; used here only as a longer case when it is installed.
    private static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    private OfflineEngines() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("sphinx-rtf");
        Map<String, TranscriptionEngine> engines = new LinkedHashMap<>();
        engines.put("sphinx", new SphinxEngine(1));
        Optional<PocketsphinxCommand> pocketsphinx = PocketsphinxCommand.detect();
        if (pocketsphinx.isPresent()) {
            engines.put("pocketsphinx", new PocketsphinxEngine(pocketsphinx.get()));
        } else {
            System.out.println("pocketsphinx skipped: "
                    + PocketsphinxCommand.of(null, null).missing().orElse(""));
        }
        String models = System.getenv("HARK_BENCH_MODELS");
        if (models != null && !models.isBlank()) {
            List<Path> found = whisperModels(Path.of(models));
            if (found.isEmpty()) {
                System.out.println("No Whisper model (ggml-*.bin) in " + models
                        + ": fetch one with ./hark model fetch base.en, or name the folder that holds them.");
                System.exit(1);
            }
            int threads = Runtime.getRuntime().availableProcessors();
            for (Path model : found) {
                engines.put("whisper " + model.getFileName(), WhisperEngine.start(model, threads, "en"));
            }
        }
        List<Recording> recordings = new ArrayList<>();
        for (SpeechClip clip : SpeechClip.values()) {
            recordings.add(new Recording(clip.file(), TestAudio.speech(clip.file(), dir), clip.transcript()));
        }
        librivox(dir)
                .ifPresentOrElse(
                        recordings::add,
                        () -> System.out.println("LibriVox case skipped: " + LIBRIVOX
                                + " not found (apt-get install pocketsphinx-testdata)"));

        System.out.printf(
                "| Recording | Length | Engine | First call | Warm median (%d runs) | Real-time factor | WER | Heard |%n",
                runs);
        System.out.println("|---|---:|---|---:|---:|---:|---:|---|");
        for (Recording recording : recordings) {
            measure(recording, engines, runs);
        }
        for (TranscriptionEngine engine : engines.values()) {
            if (engine instanceof AutoCloseable closable) {
                closable.close();
            }
        }
    }

    private static List<Path> whisperModels(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("ggml-.*\\.bin"))
                    .sorted()
                    .toList();
        }
    }

    private static void measure(Recording recording, Map<String, TranscriptionEngine> engines, int runs)
            throws Exception {
        double seconds = durationSeconds(recording.wav());
        Map<String, Double> firstSeconds = new LinkedHashMap<>();
        Map<String, Transcript> firstTranscripts = new LinkedHashMap<>();
        Map<String, List<Double>> warm = new LinkedHashMap<>();
        for (var engine : engines.entrySet()) {
            long start = System.nanoTime();
            firstTranscripts.put(engine.getKey(), engine.getValue().transcribe(recording.wav()));
            firstSeconds.put(engine.getKey(), (System.nanoTime() - start) / 1e9);
            warm.put(engine.getKey(), new ArrayList<>());
        }
        for (int i = 0; i < runs; i++) {
            for (var engine : engines.entrySet()) {
                long start = System.nanoTime();
                engine.getValue().transcribe(recording.wav());
                warm.get(engine.getKey()).add((System.nanoTime() - start) / 1e9);
            }
        }
        for (String engine : engines.keySet()) {
            double median = median(warm.get(engine));
            String heard = firstTranscripts.get(engine).text();
            System.out.printf(
                    "| `%s` | %.2f s | %s | %.2f s | %.2f s | %.2f | %.0f %% | %s |%n",
                    recording.name(),
                    seconds,
                    engine,
                    firstSeconds.get(engine),
                    median,
                    median / seconds,
                    100 * WordErrorRate.of(recording.transcript(), heard),
                    heard);
        }
    }

    /** The five LibriVox sentences joined into one 16 kHz mono file, with their transcripts joined. */
    private static Optional<Recording> librivox(Path dir) throws Exception {
        if (!Files.isDirectory(LIBRIVOX)) {
            return Optional.empty();
        }
        List<String> ids = Files.readAllLines(LIBRIVOX.resolve("fileids")).stream()
                .map(String::strip)
                .filter(id -> !id.isEmpty())
                .toList();
        // Lines are "<s> words </s> (id)"; the markers and the id are not words.
        String transcript = Files.readAllLines(LIBRIVOX.resolve("transcription")).stream()
                .map(line -> line.replaceAll("\\(.*\\)\\s*$", "")
                        .replace("<s>", "")
                        .replace("</s>", "")
                        .strip())
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining(" "));
        List<AudioInputStream> parts = new ArrayList<>();
        long frames = 0;
        for (String id : ids) {
            AudioInputStream part = AudioSystem.getAudioInputStream(
                    LIBRIVOX.resolve(id + ".wav").toFile());
            parts.add(part);
            frames += part.getFrameLength();
        }
        Path joined = dir.resolve("librivox-5-sentences.wav");
        InputStream samples = new SequenceInputStream(Collections.enumeration(parts));
        try (AudioInputStream all = new AudioInputStream(samples, parts.get(0).getFormat(), frames)) {
            AudioSystem.write(all, AudioFileFormat.Type.WAVE, joined.toFile());
        }
        return Optional.of(new Recording(joined.getFileName().toString(), joined, transcript));
    }

    private static double durationSeconds(Path wav) throws Exception {
        try (var in = AudioSystem.getAudioInputStream(wav.toFile())) {
            return in.getFrameLength() / in.getFormat().getFrameRate();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private record Recording(String name, Path wav, String transcript) {}
}
