package hark.status.view;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a job is in the view (column {@code status.transcriptions.status}). Statements bind these
 * words; they are written out only where a parameter cannot stand: the column's CHECK constraint
 * and its DEFAULT 'pending' (migrations V1, V3), and the partial index {@code transcriptions_live}
 * (V2) on pending and processing, which the watchdog's query repeats word for word so that the
 * planner can use it.
 */
public enum JobStatus {
    PENDING("pending"),
    PROCESSING("processing"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String db;

    JobStatus(String db) {
        this.db = db;
    }

    /** The word in the database. */
    public String db() {
        return db;
    }

    /**
     * The API's word for it: the original design's four, and cancelled, which Hark added. The view
     * keeps the API's words, but this is the one place that says so. No default: a new status does
     * not compile until it has a word here.
     */
    public String api() {
        return switch (this) {
            case PENDING -> "pending";
            case PROCESSING -> "processing";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    /** Completed, failed and cancelled end a job (a replay of its dead letters may reopen a failed one). */
    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED -> true;
            case PENDING, PROCESSING -> false;
        };
    }

    public static JobStatus ofDb(String word) {
        return Arrays.stream(values())
                .filter(s -> s.db.equals(word))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown job status: " + word));
    }

    /** The status an API word names (a filter on the node list, say); empty if none does. */
    public static Optional<JobStatus> ofApi(String word) {
        return Arrays.stream(values()).filter(s -> s.api().equals(word)).findFirst();
    }
}
