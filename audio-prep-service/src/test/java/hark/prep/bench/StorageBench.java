package hark.prep.bench;

import hark.platform.audio.Ffmpeg;
import hark.platform.storage.Scratch;
import hark.platform.storage.Storage;
import hark.platform.storage.objects.LocalObjectStore;
import hark.platform.storage.objects.ObjectStorageProperties;
import hark.platform.storage.objects.ObjectStore;
import hark.platform.storage.objects.ObjectStores;
import hark.platform.storage.objects.ObjectUpload;
import hark.prep.PrepProperties;
import hark.prep.chunk.Chunker;
import hark.prep.chunk.QuietestMoment;
import hark.prep.prepare.AudioPreparer;
import hark.testing.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One recording through Hark's object storage, on one store, as {@code bench/storage.sh} measures
 * it: the upload (the file streamed into {@link ObjectStore#upload} in the upload-service's 16 KB
 * writes and committed: its path without HTTP), then the prep and chunk stages' work without
 * Kafka. Prints one JSON line: the times, the heap's peak (upload, prep+chunk, whole run) and the
 * largest peak of any ffmpeg child (sampled from /proc while it runs, as {@link PrepChunkBench}).
 *
 * <p>{@link #prepare} and {@link #chunk} mirror {@code PrepStage.prepared} and
 * {@code ChunkStage.chunks} call for call (scratch, fetch, ffmpeg, put, scratch closed): those are
 * private to Spring beans that need Kafka, so they are reproduced here; keep them in step.
 *
 * <p>Arguments: the input file, {@code local} or {@code s3}, and a work folder (the local store's
 * folder and the scratch root go in it). For {@code s3}, {@code -Dhark.bench.s3.endpoint} names an
 * S3 API server with {@link S3Server}'s bucket and keys, run in its own JVM by the script
 * ({@link S3ProxyServer}), so the heap measured here is Hark's side only. The engine is
 * {@code -Dhark.engine} (default {@code sphinx}: 16 kHz mono WAV, the target that moves the most
 * bytes through storage).
 */
public final class StorageBench {

    private static final int UPLOAD_WRITE = 16 * 1024; // upload-service's AudioReceiver copies this much per write
    private static final double MB = 1024 * 1024;

    private StorageBench() {}

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        String storeName = args[1];
        Path work = Path.of(args[2]).toAbsolutePath();
        String engine = System.getProperty("hark.engine", "sphinx");
        // hark-prep.properties' defaults.
        var props = new PrepProperties(engine, "", 1200, 120, 4, 30, 21600, "128k", 1);
        // The service's own choice (HARK_FFMPEG, default auto: the system's ffmpeg if recent enough).
        var ffmpeg = Ffmpeg.choose(System.getProperty("hark.ffmpeg", "auto"));
        var preparer = new AudioPreparer(ffmpeg, props);
        var chunker = new Chunker(ffmpeg, new QuietestMoment(ffmpeg), props);
        Files.createDirectories(work);

        AtomicLong ffmpegPeakKb = new AtomicLong();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> ProcessHandle.current()
                        .descendants()
                        // ffmpeg and ffprobe only: a child caught between its spawn and its exec
                        // still shares the JVM's memory, and would report the JVM's peak.
                        .filter(p -> p.info()
                                .command()
                                .map(c -> c.substring(c.lastIndexOf('/') + 1).startsWith("ff"))
                                .orElse(false))
                        .forEach(p -> ffmpegPeakKb.accumulateAndGet(peakKb(p.pid()), Math::max)),
                0,
                50,
                TimeUnit.MILLISECONDS);

        try (ObjectStore objects = open(storeName, work)) {
            Storage storage = new Storage(objects, work.resolve("scratch"));
            UUID job = UUID.randomUUID();
            Timer io = new Timer();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .toList();

            warmUp(storage, work);
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            // Collections from here to the end (the System.gc() between the steps included).
            List<GarbageCollectorMXBean> gc = ManagementFactory.getGarbageCollectorMXBeans();
            long gcCountBefore = gcCount(gc);
            long gcMillisBefore = gcMillis(gc);
            long started = System.nanoTime();
            String original = Storage.original(job, "wav");
            Uploaded upload = upload(objects, original, input);
            long uploaded = upload.bytes();
            double uploadSeconds = seconds(started);
            long uploadHeap = peak(heap);

            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            started = System.nanoTime();
            Prepared prepared = prepare(storage, preparer, job, original, io);
            double prepSeconds = seconds(started);
            started = System.nanoTime();
            int chunks = chunk(storage, chunker, job, prepared, io);
            double chunkSeconds = seconds(started);
            long prepChunkHeap = peak(heap);
            sampler.shutdownNow();

            // Through storage: the upload, the original fetched, the prepared audio stored and
            // fetched, the chunks stored (together as big as the prepared audio, give or take headers).
            long moved = uploaded + uploaded + 2 * prepared.bytes() + io.chunkBytes;
            storage.deleteWork(job);
            objects.delete(original);
            System.out.printf(
                    Locale.ROOT,
                    "{\"store\":\"%s\",\"location\":\"%s\",\"input\":\"%s\",\"bytes\":%d,\"target\":\"%s\","
                            + "\"durationSeconds\":%.1f,\"preparedBytes\":%d,\"chunks\":%d,\"movedMb\":%.1f,"
                            + "\"uploadSeconds\":%.2f,\"commitSeconds\":%.2f,\"prepSeconds\":%.2f,\"chunkSeconds\":%.2f,"
                            + "\"prepChunkSeconds\":%.2f,\"storageIoSeconds\":%.2f,"
                            + "\"uploadHeapPeakMb\":%.1f,\"prepChunkHeapPeakMb\":%.1f,\"heapPeakMb\":%.1f,"
                            + "\"ffmpegPeakMb\":%.1f,\"gcCount\":%d,\"gcSeconds\":%.2f,\"xmxMb\":%d,\"ffmpeg\":\"%s\"}%n",
                    storeName,
                    objects.location(),
                    input.getFileName(),
                    uploaded,
                    props.target(),
                    prepared.durationSeconds(),
                    prepared.bytes(),
                    chunks,
                    moved / MB,
                    uploadSeconds,
                    upload.commitSeconds(),
                    prepSeconds,
                    chunkSeconds,
                    prepSeconds + chunkSeconds,
                    io.nanos / 1e9,
                    uploadHeap / MB,
                    prepChunkHeap / MB,
                    Math.max(uploadHeap, prepChunkHeap) / MB,
                    ffmpegPeakKb.get() / 1024.0,
                    gcCount(gc) - gcCountBefore,
                    (gcMillis(gc) - gcMillisBefore) / 1000.0,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024),
                    ffmpeg.describe());
        }
    }

    private static ObjectStore open(String store, Path work) {
        if (store.equals("local")) {
            return new LocalObjectStore(work.resolve("store"));
        }
        if (!store.equals("s3")) {
            throw new IllegalArgumentException("The store is local or s3, not " + store);
        }
        String endpoint = System.getProperty("hark.bench.s3.endpoint");
        if (endpoint == null) {
            throw new IllegalArgumentException("-Dhark.bench.s3.endpoint names the S3 API server");
        }
        var props = new ObjectStorageProperties(
                "s3://hark/bench", new ObjectStorageProperties.S3(endpoint, S3Server.REGION, true));
        var credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
        return ObjectStores.open(props, work, credentials);
    }

    /**
     * One small object through every call measured, unmeasured: a service is a warm JVM, so the
     * first use's class loading (the AWS SDK's above all) and connection are not the upload's.
     */
    private static void warmUp(Storage storage, Path work) throws IOException {
        UUID job = UUID.randomUUID();
        Path file = Files.write(work.resolve("warm-up.wav"), new byte[1024 * 1024]);
        String key = Storage.original(job, "wav");
        upload(storage.objects(), key, file);
        storage.objects().put(Storage.work(job, "warm-up.wav"), file);
        try (Scratch scratch = storage.scratch(job)) {
            scratch.fetch(key, "The warm-up object is not stored.");
        }
        storage.deleteWork(job);
        storage.objects().delete(key);
        Files.delete(file);
    }

    /** The upload-service's path without HTTP: the body streamed into an upload, then committed. */
    private static Uploaded upload(ObjectStore objects, String key, Path input) throws IOException {
        byte[] copy = new byte[UPLOAD_WRITE];
        try (ObjectUpload upload = objects.upload(key);
                InputStream in = Files.newInputStream(input)) {
            for (int n; (n = in.read(copy)) > 0; ) {
                upload.write(copy, 0, n);
            }
            long started = System.nanoTime();
            long bytes = upload.commit();
            return new Uploaded(bytes, seconds(started));
        }
    }

    /** @param commitSeconds of the upload's time, its commit's: the last part, and S3's completion */
    record Uploaded(long bytes, double commitSeconds) {}

    record Prepared(String key, double durationSeconds, long bytes) {}

    /** As {@code PrepStage.prepared}. */
    private static Prepared prepare(Storage storage, AudioPreparer preparer, UUID job, String originalKey, Timer io) {
        try (Scratch scratch = storage.scratch(job)) {
            Path original = io.time(() -> scratch.fetch(originalKey, "The recording is no longer in storage."));
            var prepared = preparer.prepare(original, scratch.dir());
            String key = originalKey;
            if (!prepared.path().equals(original)) {
                String workKey = Storage.work(job, prepared.path().getFileName().toString());
                io.run(() -> storage.objects().put(workKey, prepared.path()));
                key = workKey;
            }
            return new Prepared(
                    key, prepared.info().durationSeconds(), prepared.info().sizeBytes());
        }
    }

    /** As {@code ChunkStage.chunks}; answers how many chunks were stored. */
    private static int chunk(Storage storage, Chunker chunker, UUID job, Prepared prepared, Timer io) {
        try (Scratch scratch = storage.scratch(job)) {
            Path audio =
                    io.time(() -> scratch.fetch(prepared.key(), "The prepared recording is no longer in storage."));
            List<Chunker.Chunk> chunks =
                    chunker.split(audio, scratch.dir(), prepared.durationSeconds(), prepared.bytes());
            for (Chunker.Chunk chunk : chunks) {
                if (!chunk.path().equals(audio)) {
                    String key = Storage.work(job, chunk.path().getFileName().toString());
                    io.chunkBytes += size(chunk.path());
                    io.run(() -> storage.objects().put(key, chunk.path()));
                }
            }
            return chunks.size();
        }
    }

    /** Time spent in fetches and puts, beside ffmpeg's. */
    private static final class Timer {
        long nanos;
        long chunkBytes;

        <T> T time(Supplier<T> call) {
            long start = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        void run(Runnable call) {
            time(() -> {
                call.run();
                return null;
            });
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long gcCount(List<GarbageCollectorMXBean> gc) {
        return gc.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis(List<GarbageCollectorMXBean> gc) {
        return gc.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long peak(List<MemoryPoolMXBean> heap) {
        return heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
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
