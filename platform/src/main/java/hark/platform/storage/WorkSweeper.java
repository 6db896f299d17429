package hark.platform.storage;

import hark.platform.PeriodicTask;
import hark.platform.storage.objects.ObjectStore;
import hark.platform.storage.objects.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a crash can leave behind, untouched for longer than any job may run: a job's
 * intermediate objects under {@code work/}, uploads never finished (a partial file, an unfinished
 * multipart upload that a bucket would keep, and bill, for good) and this process's scratch
 * folders. Finished jobs clean up after themselves; this catches the rest, at start and then every
 * hour. A job that failed for a passing reason keeps its intermediate objects until then, so a
 * replay can still use them.
 */
public class WorkSweeper extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(WorkSweeper.class);

    private final Storage storage;
    private final Duration maxAge;

    public WorkSweeper(Storage storage, Duration maxAge) {
        super("work-sweeper", Duration.ZERO, Duration.ofHours(1));
        this.storage = storage;
        this.maxAge = maxAge;
    }

    /** Deletes leftovers older than the maximum age; returns how many jobs, uploads and folders went. */
    public int sweep() {
        Instant cutoff = Instant.now().minus(maxAge);
        ObjectStore objects = storage.objects();
        return sweepWork(objects, cutoff) + objects.discardUnfinishedUploads(cutoff) + sweepScratch(cutoff);
    }

    /** A job's work objects go together, once even the newest of them is older than the cutoff. */
    private static int sweepWork(ObjectStore objects, Instant cutoff) {
        Map<String, Instant> newestByJob = objects.list("work/").stream()
                .collect(Collectors.toMap(
                        WorkSweeper::jobPrefix, StoredObject::lastModified, (a, b) -> a.isAfter(b) ? a : b));
        int removed = 0;
        for (var job : newestByJob.entrySet()) {
            if (job.getValue().isBefore(cutoff)) {
                objects.deletePrefix(job.getKey());
                removed++;
            }
        }
        return removed;
    }

    /** {@code work/<job>/} of {@code work/<job>/chunk-0001.mp3}. */
    private static String jobPrefix(StoredObject object) {
        String key = object.key();
        int end = key.indexOf('/', "work/".length());
        return end < 0 ? key + "/" : key.substring(0, end + 1);
    }

    private int sweepScratch(Instant cutoff) {
        Path dir = storage.scratchRoot();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    Storage.deleteTree(entry);
                    removed++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not sweep {}: {}", dir, e.getMessage());
        }
        return removed;
    }

    @Override
    protected void runOnce() {
        int removed = sweep();
        if (removed > 0) {
            log.info("Removed {} leftover jobs, uploads or scratch folders older than {}", removed, maxAge);
        }
    }
}
