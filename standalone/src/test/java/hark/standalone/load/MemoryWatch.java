package hark.standalone.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap of this JVM while a load runs, where all of Hark lives (broker, four services and the
 * stand-in of the API): the most it held, the most that was still live after a collection, and
 * whether that live part ever came near the limit, which is how running out of memory starts.
 */
public final class MemoryWatch implements AutoCloseable {

    /** Live heap above this share of the limit after a collection counts as near running out. */
    private static final double NEAR_LIMIT = 0.9;

    private static final long SAMPLE_MILLIS = 100;

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "memory-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final long[] thresholdCountsAtStart;
    private final boolean[] armed;
    private long nearLimitWhenClosed = -1;

    private MemoryWatch() {
        thresholdCountsAtStart = new long[heapPools.size()];
        armed = new boolean[heapPools.size()];
        for (int i = 0; i < heapPools.size(); i++) {
            MemoryPoolMXBean pool = heapPools.get(i);
            pool.resetPeakUsage();
            long max = pool.getUsage().getMax();
            if (pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold((long) (max * NEAR_LIMIT));
                thresholdCountsAtStart[i] = pool.getCollectionUsageThresholdCount();
                armed[i] = true;
            }
        }
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    public static MemoryWatch start() {
        return new MemoryWatch();
    }

    /** The heap limit ({@code -Xmx}). */
    public long maxHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** The most heap in use at one sample (live objects and garbage not yet collected). */
    public long peakUsed() {
        return peakUsed.get();
    }

    /** The most heap still in use right after a collection, at one sample: what the load really needed. */
    public long peakLiveAfterCollection() {
        return peakLive.get();
    }

    /** The sum of every heap pool's own peak: an upper bound, as the pools need not peak together. */
    public long sumOfPoolPeaks() {
        return heapPools.stream()
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    /** Collections after which a pool's live part was above {@value #NEAR_LIMIT} of its limit. */
    public long collectionsNearLimit() {
        if (nearLimitWhenClosed >= 0) {
            return nearLimitWhenClosed;
        }
        long count = 0;
        for (int i = 0; i < heapPools.size(); i++) {
            if (armed[i]) {
                count += heapPools.get(i).getCollectionUsageThresholdCount() - thresholdCountsAtStart[i];
            }
        }
        return count;
    }

    /** The largest resident set this process has had (Linux's VmHWM), or -1 where that is not known. */
    public static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the figure is left out
        }
        return -1;
    }

    private void sample() {
        long used = 0;
        long live = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            used += pool.getUsage().getUsed();
            MemoryUsage afterCollection = pool.getCollectionUsage();
            live += afterCollection == null ? 0 : afterCollection.getUsed();
        }
        peakUsed.accumulateAndGet(used, Math::max);
        peakLive.accumulateAndGet(live, Math::max);
    }

    /** Stops watching; the figures stay as they were then. Closing again changes nothing. */
    @Override
    public void close() {
        if (nearLimitWhenClosed >= 0) {
            return;
        }
        sampler.shutdownNow();
        sample();
        nearLimitWhenClosed = collectionsNearLimit();
        // The threshold is JVM-wide state; later tests in this fork should not inherit it.
        for (int i = 0; i < heapPools.size(); i++) {
            if (armed[i]) {
                heapPools.get(i).setCollectionUsageThreshold(0);
            }
        }
    }
}
