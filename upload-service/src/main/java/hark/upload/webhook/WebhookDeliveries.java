package hark.upload.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The calls Hark owes its users' receivers, and each try at them. */
@Repository
public class WebhookDeliveries {

    static final String MESSAGE_PREFIX = "msg_";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public WebhookDeliveries(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /**
     * The call for the job's end, when its node names a callback (or its owner has a default) and
     * the job is still the node's: a retried node's older job, or an erased node, calls nobody. A
     * transcript that arrives after the job was cancelled is not reported as completed, as the node
     * does not take it either. The (job, outcome) key makes a second call for the same end nothing:
     * false then, and when nobody is to be called.
     */
    public Mono<Boolean> owe(UUID jobId, long nodeId, Outcome outcome, String body) {
        return db.sql("INSERT INTO upload.webhook_deliveries (id, job_id, outcome, user_id, node_id, url, body)"
                        + " SELECT :id, :job, :outcome, n.user_id, n.id, coalesce(n.callback_url, s.default_url), :body"
                        + " FROM upload.nodes n LEFT JOIN upload.webhook_settings s ON s.user_id = n.user_id"
                        + " WHERE n.id = :node AND n.transcription_task_id = :job"
                        + " AND coalesce(n.callback_url, s.default_url) IS NOT NULL"
                        + " AND NOT (:outcome = 'completed' AND n.transcription_state = 'cancelled')"
                        + " ON CONFLICT (job_id, outcome) DO NOTHING")
                .bind("id", UUID.randomUUID())
                .bind("job", jobId)
                .bind("outcome", outcome.word())
                .bind("node", nodeId)
                .bind("body", body)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    /** The call's webhook-id: the same on every try, the receiver's way to see a retry as the same call. */
    static String messageId(UUID deliveryId) {
        return MESSAGE_PREFIX + deliveryId;
    }

    /** A call claimed for sending, with its try's number and its owner's key (null if they have none). */
    public record Due(
            UUID id, String userId, String url, String body, int attempt, OffsetDateTime createdAt, byte[] key) {}

    /**
     * Up to {@code limit} due calls, each leased to this sender for {@code lease} and its try
     * recorded as begun, in one transaction. SKIP LOCKED lets several instances send side by side
     * without both taking the same call.
     */
    public Flux<Due> claim(int limit, Duration lease) {
        Flux<Due> work = db.sql("UPDATE upload.webhook_deliveries d SET attempts = attempts + 1,"
                        + " next_attempt_at = now() + make_interval(secs => :lease)"
                        + " WHERE id IN (SELECT id FROM upload.webhook_deliveries WHERE state = 'pending'"
                        + " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)"
                        + " RETURNING d.id, d.user_id, d.url, d.body, d.attempts, d.created_at,"
                        + " (SELECT signing_key FROM upload.webhook_settings s WHERE s.user_id = d.user_id) AS key")
                .bind("lease", lease.toMillis() / 1000.0)
                .bind("limit", limit)
                .map(row -> new Due(
                        row.get("id", UUID.class),
                        row.get("user_id", String.class),
                        row.get("url", String.class),
                        row.get("body", String.class),
                        row.get("attempts", Integer.class),
                        row.get("created_at", OffsetDateTime.class),
                        row.get("key", byte[].class)))
                .all()
                .concatMap(due -> db.sql("INSERT INTO upload.webhook_attempts (delivery_id, attempt) VALUES (:id, :n)"
                                + " ON CONFLICT DO NOTHING")
                        .bind("id", due.id())
                        .bind("n", due.attempt())
                        .fetch()
                        .rowsUpdated()
                        .thenReturn(due));
        return tx.transactional(work);
    }

    /** What one try came to: the receiver's status, or why there was none. */
    public record Result(Integer httpStatus, String error, Duration took) {
        boolean delivered() {
            return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
        }
    }

    /**
     * Records the try, and ends the call when it was answered with a 2xx or when {@code next} is
     * null (no more tries); else it is due again at {@code next}.
     */
    public Mono<Void> record(Due due, Result result, OffsetDateTime next) {
        String state = result.delivered() ? "delivered" : next == null ? "given_up" : "pending";
        Mono<Void> work = db.sql("UPDATE upload.webhook_attempts SET finished_at = now(), duration_ms = :ms,"
                        + " http_status = :status, error = :error WHERE delivery_id = :id AND attempt = :n")
                .bind("ms", result.took().toMillis())
                .bind("status", Parameter.fromOrEmpty(result.httpStatus(), Integer.class))
                .bind("error", Parameter.fromOrEmpty(result.error(), String.class))
                .bind("id", due.id())
                .bind("n", due.attempt())
                .fetch()
                .rowsUpdated()
                // Only the try that holds the lease moves the call on: a try that ran past its lease
                // (and was taken over) must not undo what the newer one recorded.
                .then(db.sql("UPDATE upload.webhook_deliveries SET state = :state,"
                                + " next_attempt_at = coalesce(:next, next_attempt_at),"
                                + " ended_at = CASE WHEN :state = 'pending' THEN NULL ELSE now() END"
                                + " WHERE id = :id AND state = 'pending' AND attempts = :n")
                        .bind("state", state)
                        .bind("next", Parameter.fromOrEmpty(next, OffsetDateTime.class))
                        .bind("id", due.id())
                        .bind("n", due.attempt())
                        .fetch()
                        .rowsUpdated())
                .then();
        return tx.transactional(work);
    }

    /** A call as its owner sees it, with its tries. */
    public record Listed(
            @JsonProperty("webhook_id") String webhookId,
            @JsonProperty("job_id") UUID jobId,
            @JsonProperty("node_id") long nodeId,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("url") String url,
            @JsonProperty("state") String state,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("next_attempt_at") OffsetDateTime nextAttemptAt,
            @JsonProperty("ended_at") OffsetDateTime endedAt,
            @JsonProperty("attempts") List<Attempt> attempts) {}

    /** One try; neither status nor error when it was cut off (its sender stopped mid-send). */
    public record Attempt(
            @JsonProperty("attempt") int attempt,
            @JsonProperty("started_at") OffsetDateTime startedAt,
            @JsonProperty("duration_ms") Long durationMs,
            @JsonProperty("http_status") Integer httpStatus,
            @JsonProperty("error") String error) {}

    /** The user's latest calls, newest first. */
    public Flux<Listed> of(String userId, int limit) {
        return db.sql(
                        "SELECT id, job_id, node_id, outcome, url, state, created_at, next_attempt_at, ended_at"
                                + " FROM upload.webhook_deliveries WHERE user_id = :user ORDER BY created_at DESC, id LIMIT :limit")
                .bind("user", userId)
                .bind("limit", limit)
                .map(WebhookDeliveries::listed)
                .all()
                .concatMap(d -> attemptsOf(UUID.fromString(d.webhookId().substring(MESSAGE_PREFIX.length())))
                        .collectList()
                        .map(a -> withAttempts(d, a)));
    }

    private Flux<Attempt> attemptsOf(UUID deliveryId) {
        return db.sql("SELECT attempt, started_at, duration_ms, http_status, error FROM upload.webhook_attempts"
                        + " WHERE delivery_id = :id ORDER BY attempt")
                .bind("id", deliveryId)
                .map(row -> new Attempt(
                        row.get("attempt", Integer.class),
                        row.get("started_at", OffsetDateTime.class),
                        row.get("duration_ms", Long.class),
                        row.get("http_status", Integer.class),
                        row.get("error", String.class)))
                .all();
    }

    private static Listed listed(Readable row) {
        return new Listed(
                messageId(row.get("id", UUID.class)),
                row.get("job_id", UUID.class),
                row.get("node_id", Long.class),
                row.get("outcome", String.class),
                row.get("url", String.class),
                row.get("state", String.class),
                row.get("created_at", OffsetDateTime.class),
                row.get("next_attempt_at", OffsetDateTime.class),
                row.get("ended_at", OffsetDateTime.class),
                List.of());
    }

    private static Listed withAttempts(Listed d, List<Attempt> attempts) {
        return new Listed(
                d.webhookId(),
                d.jobId(),
                d.nodeId(),
                d.outcome(),
                d.url(),
                d.state(),
                d.createdAt(),
                d.nextAttemptAt(),
                d.endedAt(),
                List.copyOf(attempts));
    }
}
