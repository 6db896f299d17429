package hark.prep.bench;

import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import hark.prep.chunk.Chunker;
import hark.prep.chunk.QuietestMoment;
import hark.prep.prepare.AudioPreparer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the prep and chunk stages' work (no Kafka) on one file, as {@code bench/prep-memory.sh}
 * measures it, and prints one JSON line: the heap's peak, and the largest peak of any ffmpeg
 * child (sampled from /proc while it runs). The engine is {@code -Dhark.engine} (default
 * {@code openai}: the original design's MP3 rule, the same work the pydub baseline does).
 */
public final class PrepChunkBench {

    private PrepChunkBench() {}

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path work = Path.of(args[1]);
        String engine = System.getProperty("hark.engine", "openai");
        var props = new PrepProperties(engine, "", 1200, 120, 4, 30, 6 * 3600, "128k", 1);
        var ffmpeg = new Ffmpeg();
        Files.createDirectories(work);
        var preparer = new AudioPreparer(ffmpeg, props);
        var chunker = new Chunker(ffmpeg, new QuietestMoment(ffmpeg), props);

        AtomicLong ffmpegPeakKb = new AtomicLong();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> ProcessHandle.current()
                        .descendants()
                        .forEach(p -> ffmpegPeakKb.accumulateAndGet(peakKb(p.pid()), Math::max)),
                0,
                50,
                TimeUnit.MILLISECONDS);

        long start = System.nanoTime();
        var prepared = preparer.prepare(input, work);
        var chunks = chunker.split(
                prepared.path(),
                work,
                prepared.info().durationSeconds(),
                prepared.info().sizeBytes());
        double wall = (System.nanoTime() - start) / 1e9;
        sampler.shutdownNow();

        double heapPeakMb = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed())
                        .sum()
                / 1048576.0;
        System.out.printf(
                Locale.ROOT,
                "{\"input\":\"%s\",\"bytes\":%d,\"durationSeconds\":%.1f,\"target\":\"%s\","
                        + "\"chunks\":%d,\"wallSeconds\":%.1f,\"heapPeakMb\":%.1f,\"ffmpegPeakMb\":%.1f}%n",
                input.getFileName(),
                Files.size(input),
                prepared.info().durationSeconds(),
                props.target(),
                chunks.size(),
                wall,
                heapPeakMb,
                ffmpegPeakKb.get() / 1024.0);
    }

    /** VmHWM of a process, in kB; 0 once it is gone. */
    private static long peakKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between listing and reading
        }
        return 0;
    }
}
