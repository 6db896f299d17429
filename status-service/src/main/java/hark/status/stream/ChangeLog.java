package hark.status.stream;

import hark.status.view.JobStatus;
import io.r2dbc.postgresql.codec.Json;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The view's changes of one node, in the order they happened; {@code seq} is the stream's event id. */
@Repository
public class ChangeLog {

    /** One change: the status answer as it was, as JSON. */
    public record Change(long seq, String state, boolean isFinal) {}

    /** The API's words for the statuses that end a job, as the changes hold them. */
    private static final List<String> FINAL = Arrays.stream(JobStatus.values())
            .filter(JobStatus::isFinal)
            .map(JobStatus::api)
            .toList();

    private final DatabaseClient db;

    public ChangeLog(DatabaseClient db) {
        this.db = db;
    }

    public Flux<Change> after(long nodeId, long seq) {
        return db.sql("SELECT seq, state, state->>'status' IN (:finals) AS final"
                        + " FROM status.changes WHERE node_id = :node AND seq > :seq ORDER BY seq")
                .bind("finals", FINAL)
                .bind("node", nodeId)
                .bind("seq", seq)
                .map(row -> new Change(
                        row.get("seq", Long.class),
                        row.get("state", Json.class).asString(),
                        Boolean.TRUE.equals(row.get("final", Boolean.class))))
                .all();
    }

    /** The node's latest change, 0 when it has none (a job imported from the original system). */
    public Mono<Long> latestSeq(long nodeId) {
        return db.sql("SELECT coalesce(max(seq), 0) AS seq FROM status.changes WHERE node_id = :node")
                .bind("node", nodeId)
                .map(row -> row.get("seq", Long.class))
                .one();
    }
}
