package hark.standalone.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a load run measured, as one line that {@code bench/load.sh} picks out of the test's output.
 *
 * @param uploads          recordings sent at once
 * @param megabytes        their total size, in MB (10^6 bytes)
 * @param audioHours       their total length
 * @param chunks           chunks the API was asked to transcribe, all jobs together
 * @param uploadLatencies  request start to the 201, one per upload
 * @param drain            first upload started to last job seen completed (polled every 0.5 s)
 * @param heapPeakUsed     the most heap in use at one 100 ms sample
 * @param heapPeakLive     the most heap still in use after a collection
 * @param heapMax          the heap limit
 * @param residentPeak     the JVM's largest resident set, -1 if unknown
 */
public record LoadFigures(
        int uploads,
        double megabytes,
        double audioHours,
        int chunks,
        List<Duration> uploadLatencies,
        Duration drain,
        long heapPeakUsed,
        long heapPeakLive,
        long heapMax,
        long residentPeak) {

    public static final String PREFIX = "LOAD FIGURES";

    public String line() {
        return String.format(
                Locale.ROOT,
                "%s uploads=%d size_mb=%.0f audio_h=%.2f chunks=%d upload_p50_s=%.2f "
                        + "upload_p99_s=%.2f drain_s=%.1f heap_peak_used_mib=%d heap_peak_live_mib=%d heap_max_mib=%d "
                        + "rss_peak_mib=%d",
                PREFIX,
                uploads,
                megabytes,
                audioHours,
                chunks,
                seconds(percentile(50)),
                seconds(percentile(99)),
                seconds(drain),
                mib(heapPeakUsed),
                mib(heapPeakLive),
                mib(heapMax),
                residentPeak < 0 ? -1 : mib(residentPeak));
    }

    /** Nearest rank: with 50 uploads the 99th percentile is the slowest one. */
    public Duration percentile(int p) {
        List<Duration> sorted = uploadLatencies.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static long mib(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
