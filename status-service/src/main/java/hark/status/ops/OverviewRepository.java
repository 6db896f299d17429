package hark.status.ops;

import hark.status.ops.AdminOverview.OldestRunning;
import hark.status.ops.AdminOverview.Work;
import hark.status.view.JobStatus;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The job figures of the admin overview, read from the status view. Only each node's latest job
 * counts, as on the node list: a retry is a new job, and the one it replaced is history.
 */
public class OverviewRepository {

    private final DatabaseClient db;
    private final String latestPerNode;

    public OverviewRepository(DatabaseClient db, String schema) {
        this.db = db;
        this.latestPerNode = "(SELECT DISTINCT ON (node_id) * FROM " + schema + ".transcriptions"
                + " ORDER BY node_id, uploaded_at DESC NULLS LAST, updated_at DESC) t";
    }

    /** Nodes by the status of their latest job; every status is present, 0 if none. */
    public Mono<Map<String, Long>> jobCounts() {
        Map<String, Long> zeros = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            zeros.put(status.api(), 0L);
        }
        return db.sql("SELECT status, count(*) AS n FROM " + latestPerNode + " GROUP BY status")
                .map(row -> Map.entry(
                        JobStatus.ofDb(row.get("status", String.class)).api(), row.get("n", Long.class)))
                .all()
                .reduce(zeros, (counts, entry) -> {
                    counts.put(entry.getKey(), entry.getValue());
                    return counts;
                });
    }

    /**
     * Work still to transcribe, job by job, with its owner: the queued first (nearest the front
     * first), then those transcribing, longest first.
     */
    public Flux<Work> work() {
        return db.sql(
                        "SELECT user_id, job_id, node_id, stage, queue_position, chunks_total - chunks_done AS chunks_left"
                                + " FROM " + latestPerNode
                                + " WHERE status = :processing AND stage IN ('queued', 'transcribe')"
                                + " ORDER BY stage = 'transcribe', queue_position NULLS LAST, chunks_total - chunks_done DESC")
                .bind("processing", JobStatus.PROCESSING.db())
                .map(row -> new Work(
                        row.get("user_id", String.class),
                        row.get("job_id", UUID.class),
                        row.get("node_id", Long.class),
                        row.get("stage", String.class),
                        row.get("queue_position", Integer.class),
                        row.get("chunks_left", Integer.class)))
                .all();
    }

    /** The processing job that started longest ago, timed by the database's clock; empty if none. */
    public Mono<Long> erasedRecordings() {
        return db.sql("SELECT count(*) FROM status.erased_nodes")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    public Mono<OldestRunning> oldestRunning() {
        return db.sql("SELECT job_id, node_id, status, stage, started_at,"
                        + " floor(extract(epoch FROM now() - started_at))::bigint AS running_seconds"
                        + " FROM " + latestPerNode
                        + " WHERE status = :processing AND started_at IS NOT NULL ORDER BY started_at LIMIT 1")
                .bind("processing", JobStatus.PROCESSING.db())
                .map(row -> new OldestRunning(
                        row.get("job_id", UUID.class),
                        row.get("node_id", Long.class),
                        JobStatus.ofDb(row.get("status", String.class)).api(),
                        row.get("stage", String.class),
                        row.get("started_at", OffsetDateTime.class),
                        row.get("running_seconds", Long.class)))
                .one();
    }
}
