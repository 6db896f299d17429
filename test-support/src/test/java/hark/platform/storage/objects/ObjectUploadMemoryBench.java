package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import hark.testing.S3Server;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams a large body through {@link ObjectStore#upload} in network-sized writes and reports the
 * heap's peak: run by {@code bench/object-upload-memory.sh} under a small {@code -Xmx}, which a
 * whole body held in memory could not fit. Not a test of the build (surefire's default includes
 * leave "Bench" classes out); S3Proxy, the server, shares the JVM and its heap.
 */
class ObjectUploadMemoryBench {

    private static final int MB = 1024 * 1024;
    private static final int WRITE = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void streamsALargeBodyWithFlatMemory() throws Exception {
        int megabytes = Integer.getInteger("hark.bench.uploadMb", 300);
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(
                Locale.ROOT,
                "| store | body | part size | wall time | heap peak | -Xmx |%n|---|---|---|---|---|---|%n");
        try (S3Server server = S3Server.start();
                ObjectStore s3 = ObjectStores.open(server.properties("bench"), root, server.credentials());
                ObjectStore local = new LocalObjectStore(root)) {
            for (ObjectStore store : List.of(local, s3)) {
                String name = store instanceof S3ObjectStore ? "S3Proxy" : "folder";
                measure(name, store, megabytes, maxHeap);
            }
        }
    }

    private static void measure(String name, ObjectStore store, int megabytes, long maxHeap) throws Exception {
        byte[] write = new byte[WRITE];
        new Random(1).nextBytes(write);
        long total = (long) megabytes * MB;
        String key = "originals/" + UUID.randomUUID() + ".wav";
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long started = System.nanoTime();
        try (ObjectUpload upload = store.upload(key)) {
            for (long sent = 0; sent < total; sent += WRITE) {
                upload.write(write);
            }
            upload.commit();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        assertThat(store.size(key)).contains(total);
        System.out.printf(
                Locale.ROOT,
                "| %s | %d MB | %s | %.1f s | %d MB | %d MB |%n",
                name,
                megabytes,
                name.equals("folder") ? "-" : S3ObjectStore.DEFAULT_PART_SIZE / MB + " MB",
                millis / 1000.0,
                peak / MB,
                maxHeap / MB);
        store.delete(key);
    }
}
