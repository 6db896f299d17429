package hark.upload.retention;

import hark.platform.PeriodicTask;
import hark.platform.storage.Storage;
import hark.upload.node.TranscriptionState;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Removes original recordings older than the audio retention, once their transcription is not
 * running. The node and its transcript stay; its audio link answers 410 and it can no longer be
 * retried or reprocessed. Off when the retention is null (keep recordings for good).
 */
public class AudioRetention extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(AudioRetention.class);
    private static final int BATCH = 500;

    private final DatabaseClient db;
    private final Storage storage;
    private final Duration keep;

    public AudioRetention(DatabaseClient db, Storage storage, Duration keep) {
        super("audio-retention", Duration.ofMinutes(1), Duration.ofHours(1));
        this.db = db;
        this.storage = storage;
        this.keep = keep;
    }

    private record Expired(long id, String audioPath) {}

    /** Removes what has expired; returns how many recordings went. */
    public int sweep() {
        if (keep == null) {
            return 0;
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(keep);
        int removed = 0;
        int found;
        int removedNow;
        do {
            var expired = db.sql("SELECT id, audio_path FROM upload.nodes WHERE audio_path IS NOT NULL"
                            + " AND audio_deleted_at IS NULL AND created_at < :cutoff"
                            + " AND transcription_state IS DISTINCT FROM :running ORDER BY id LIMIT " + BATCH)
                    .bind("cutoff", cutoff)
                    .bind("running", TranscriptionState.RUNNING.db())
                    .map(row -> new Expired(row.get("id", Long.class), row.get("audio_path", String.class)))
                    .all()
                    .collectList()
                    .block();
            found = expired.size();
            removedNow = (int) expired.stream().filter(this::delete).count();
            removed += removedNow;
        } while (found == BATCH && removedNow > 0);
        return removed;
    }

    /** The node is marked only once its object is gone, so no recording is ever left behind unmarked. */
    private boolean delete(Expired node) {
        try {
            storage.objects().delete(node.audioPath());
        } catch (UncheckedIOException e) {
            log.warn(
                    "Could not delete the recording of node {}; next round tries again: {}", node.id(), e.getMessage());
            return false;
        }
        db.sql("UPDATE upload.nodes SET audio_deleted_at = now() WHERE id = :id")
                .bind("id", node.id())
                .then()
                .block();
        return true;
    }

    @Override
    protected void runOnce() {
        int removed = sweep();
        if (removed > 0) {
            log.info("Removed {} recordings older than {}", removed, keep);
        }
    }
}
