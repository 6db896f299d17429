package hark.status.view;

import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads the view. The schema is a parameter so that a rebuild can read the copy it is filling. */
public class StatusRepository {

    private static final String ROW = "t.*, (SELECT json_agg(json_build_array(c.chunk_index, c.text)"
            + " ORDER BY c.chunk_index)::text FROM %s.chunks c WHERE c.job_id = t.job_id) AS chunk_texts";

    private final DatabaseClient db;
    private final String schema;

    public StatusRepository(DatabaseClient db, String schema) {
        this.db = db;
        this.schema = schema;
    }

    /** The node's most recent job: a retry is a new job, and the newest one is what a person waits for. */
    public Mono<TranscriptionView> latestForNode(long nodeId) {
        return db.sql("SELECT " + ROW.formatted(schema) + " FROM " + schema + ".transcriptions t WHERE node_id = :node"
                        + " ORDER BY uploaded_at DESC NULLS LAST, updated_at DESC LIMIT 1")
                .bind("node", nodeId)
                .map(StatusRepository::view)
                .one();
    }

    public Mono<TranscriptionView> forJob(UUID jobId) {
        return db.sql("SELECT " + ROW.formatted(schema) + " FROM " + schema + ".transcriptions t WHERE job_id = :job")
                .bind("job", jobId)
                .map(StatusRepository::view)
                .one();
    }

    /** A user's nodes, newest first, each with its latest job; {@code status} null for all. */
    public Flux<TranscriptionView> forUser(String userId, JobStatus status, int offset, int limit) {
        var query = db.sql("SELECT " + ROW.formatted(schema) + " FROM " + latestPerNode() + " t" + userAndStatus(status)
                        + " ORDER BY uploaded_at DESC NULLS LAST, node_id DESC OFFSET :offset LIMIT :limit")
                .bind("user", userId)
                .bind("offset", offset)
                .bind("limit", limit);
        return (status == null ? query : query.bind("status", status.db()))
                .map(StatusRepository::view)
                .all();
    }

    public Mono<Long> countForUser(String userId, JobStatus status) {
        var query = db.sql("SELECT count(*) FROM " + latestPerNode() + " t" + userAndStatus(status))
                .bind("user", userId);
        return (status == null ? query : query.bind("status", status.db()))
                .map(row -> row.get(0, Long.class))
                .one();
    }

    private static String userAndStatus(JobStatus status) {
        return " WHERE user_id = :user" + (status == null ? "" : " AND status = :status");
    }

    private String latestPerNode() {
        return "(SELECT DISTINCT ON (node_id) * FROM " + schema + ".transcriptions"
                + " ORDER BY node_id, uploaded_at DESC NULLS LAST, updated_at DESC)";
    }

    private static TranscriptionView view(Readable row) {
        return new TranscriptionView(
                row.get("job_id", UUID.class),
                row.get("node_id", Long.class),
                row.get("user_id", String.class),
                JobStatus.ofDb(row.get("status", String.class)),
                row.get("stage", String.class),
                row.get("progress", Integer.class),
                row.get("error", String.class),
                row.get("content", String.class),
                row.get("chunks_total", Integer.class),
                row.get("chunks_done", Integer.class),
                row.get("uploaded_at", OffsetDateTime.class),
                row.get("started_at", OffsetDateTime.class),
                row.get("completed_at", OffsetDateTime.class),
                row.get("transcribe_started_at", OffsetDateTime.class),
                row.get("last_chunk_at", OffsetDateTime.class),
                PartialText.join(row.get("chunk_texts", String.class)),
                row.get("queue_position", Integer.class),
                row.get("language", String.class));
    }
}
