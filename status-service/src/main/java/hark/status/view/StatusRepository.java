package hark.status.view;

import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Reads the view. The schema is a parameter so that a rebuild can read the copy it is filling. */
public class StatusRepository {

    /** The columns a view is read from; not t.*, which would also carry the search column's words. */
    private static final String ROW = "t.job_id, t.node_id, t.user_id, t.status, t.stage, t.progress, t.error,"
            + " t.content, t.chunks_total, t.chunks_done, t.uploaded_at, t.started_at, t.completed_at,"
            + " t.transcribe_started_at, t.last_chunk_at, t.queue_position, t.language, (SELECT json_agg(json_build_array(c.chunk_index, c.text)"
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
