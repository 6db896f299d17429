package hark.standalone.bench;

import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import hark.prep.chunk.Chunker;
import hark.prep.chunk.QuietestMoment;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import hark.testing.WordErrorRate;
import hark.transcribe.engine.sphinx.SphinxEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How chunk count changes the time to transcribe one recording when {@code consumers} chunks
 * are decoded at once (as that many transcribe consumers would), and whether cutting at pauses
 * costs words. Run by {@code bench/parallel-chunks.sh}; not a test.
 */
public final class ParallelChunksBench {

    private ParallelChunksBench() {}

    public static void main(String[] args) throws Exception {
        int consumers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        Path dir = Files.createTempDirectory("parallel-chunks");
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), dir);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), dir);
        Path[] clips = new Path[slots];
        StringBuilder said = new StringBuilder();
        for (int i = 0; i < slots; i++) {
            SpeechClip clip = i % 2 == 0 ? SpeechClip.PRIMARY : SpeechClip.SECOND;
            clips[i] = i % 2 == 0 ? first : second;
            said.append(clip.transcript()).append(' ');
        }
        Path recording = TestAudio.joinWithPauses(dir.resolve("talk.wav"), 5.0, clips);
        double duration = slots * 5.0;
        Ffmpeg ffmpeg = new Ffmpeg();
        SphinxEngine engine = new SphinxEngine(consumers);
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        warmUp(engine, pool, first, consumers);

        System.out.printf("recording %.0f s of real speech with pauses, %d consumers%n", duration, consumers);
        System.out.println("| chunks | wall s | RTF | WER |");
        System.out.println("|---|---|---|---|");
        for (int chunks : new int[] {1, 2, 4, 8}) {
            var props = new PrepProperties("sphinx", "", (int) duration, 1, chunks, 5, 21600, "128k", 1);
            var chunker = new Chunker(ffmpeg, new QuietestMoment(ffmpeg), props);
            Path pieceDir = Files.createDirectories(dir.resolve("s" + chunks));
            long start = System.nanoTime();
            // Parallelism = chunks: the planner's own rule decides the chunk length.
            var pieces = chunker.split(recording, pieceDir, duration, Files.size(recording));
            List<Future<String>> texts = new ArrayList<>();
            for (var piece : pieces) {
                texts.add(pool.submit(() -> engine.transcribe(piece.path()).text()));
            }
            StringBuilder heard = new StringBuilder();
            for (Future<String> text : texts) {
                heard.append(text.get()).append(' ');
            }
            double wall = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.1f | %.2f | %.0f %% |%n",
                    pieces.size(),
                    wall,
                    wall / duration,
                    100 * WordErrorRate.of(said.toString(), heard.toString()));
        }
        pool.shutdown();
    }

    private static void warmUp(SphinxEngine engine, ExecutorService pool, Path clip, int decoders) throws Exception {
        List<Future<?>> loads = new ArrayList<>();
        for (int i = 0; i < decoders; i++) {
            loads.add(pool.submit(() -> engine.transcribe(clip)));
        }
        for (Future<?> load : loads) {
            load.get();
        }
    }
}
