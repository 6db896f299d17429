package hark.upload.node;

import java.util.Arrays;

/**
 * Where a node's current transcription job is, as far as the upload service needs to know (column
 * {@code upload.nodes.transcription_state}; null for a text node): cancel needs a running job, retry
 * a failed or cancelled one, reprocess any that is not running. The words are also written in the
 * column's CHECK constraint (migration V5), which must change with them.
 */
public enum TranscriptionState {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String db;

    TranscriptionState(String db) {
        this.db = db;
    }

    /** The word in the database. */
    public String db() {
        return db;
    }

    /**
     * The API's word for it (the original design's {@code transcription_status}). The upload service
     * never hears that work on a job began, only the status service does, so here a running job is
     * still pending. No default: a new state does not compile until it has a word here.
     */
    public String api() {
        return switch (this) {
            case RUNNING -> "pending";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    /** The state a database word names; null for null (a text node has none). */
    public static TranscriptionState ofDb(String word) {
        if (word == null) {
            return null;
        }
        return Arrays.stream(values())
                .filter(s -> s.db.equals(word))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown transcription state: " + word));
    }
}
