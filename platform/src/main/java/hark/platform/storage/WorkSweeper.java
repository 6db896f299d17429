package hark.platform.storage;

import hark.platform.PeriodicTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a crash can leave behind: partial uploads in {@code incoming/} and job folders in
 * {@code work/} untouched for longer than any job may run. Finished jobs clean up after
 * themselves; this catches the rest, at start and then every hour. A job that failed for a
 * passing reason keeps its intermediate files until then, so a replay can still use them.
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

    /** Deletes leftovers older than the maximum age; returns how many entries went. */
    public int sweep() {
        Instant cutoff = Instant.now().minus(maxAge);
        return sweep(storage.root().resolve("incoming"), cutoff)
                + sweep(storage.root().resolve("work"), cutoff);
    }

    private static int sweep(Path dir, Instant cutoff) {
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
        } catch (IOException e) {
            log.warn("Could not sweep {}: {}", dir, e.getMessage());
        }
        return removed;
    }

    @Override
    protected void runOnce() {
        int removed = sweep();
        if (removed > 0) {
            log.info("Removed {} leftover upload or job folders older than {}", removed, maxAge);
        }
    }
}
