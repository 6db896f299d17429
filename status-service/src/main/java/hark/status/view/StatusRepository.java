package hark.status.view;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.UUID;

@Repository
public class StatusRepository {

    private final DatabaseClient db;

    public StatusRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The node's most recent job: a retry is a new job, and the newest one is what a person waits for. */
    public Mono<TranscriptionView> latestForNode(long nodeId) {
        return db.sql("SELECT * FROM status.transcriptions WHERE node_id = :node"
                        + " ORDER BY uploaded_at DESC NULLS LAST, updated_at DESC LIMIT 1")
                .bind("node", nodeId)
                .map(row -> new TranscriptionView(row.get("job_id", UUID.class), row.get("node_id", Long.class),
                        row.get("status", String.class), row.get("stage", String.class),
                        row.get("progress", Integer.class), row.get("error", String.class),
                        row.get("content", String.class), row.get("chunks_total", Integer.class),
                        row.get("chunks_done", Integer.class), row.get("started_at", OffsetDateTime.class),
                        row.get("completed_at", OffsetDateTime.class)))
                .one();
    }
}
