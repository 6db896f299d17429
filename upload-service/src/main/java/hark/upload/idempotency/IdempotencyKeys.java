package hark.upload.idempotency;

import hark.platform.web.ApiException;
import java.security.MessageDigest;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The keyed uploads of the last {@link #WINDOW} ({@code upload.idempotency_keys}). The unique
 * (user, key) is what decides between two requests that carry the same key at the same moment:
 * whichever inserts its row first (with its node, in one transaction) made the node, the other
 * answers it. An older row counts as no row at all, here and in {@link #claim}, so nothing depends on
 * when {@link #removeExpired} last ran.
 */
@Repository
public class IdempotencyKeys {

    public static final Duration WINDOW = Duration.ofHours(24);
    private static final String FRESH = "created_at > now() - make_interval(secs => :window)";

    private final DatabaseClient db;

    public IdempotencyKeys(DatabaseClient db) {
        this.db = db;
    }

    /** One user's key for an upload, and the digest of what that upload carried. */
    public record Claim(String userId, IdempotencyKey key, byte[] digest) {}

    /**
     * The node an earlier upload with this claim's key made, if that upload carried the same; a 422
     * if it carried something else; empty when the key is new (or older than the window).
     */
    public Mono<Long> earlier(Claim claim) {
        return db.sql("SELECT request_digest, node_id FROM upload.idempotency_keys"
                        + " WHERE user_id = :user AND key = :key AND " + FRESH)
                .bind("user", claim.userId())
                .bind("key", claim.key().value())
                .bind("window", (double) WINDOW.toSeconds())
                .map(row -> new Earlier(row.get("request_digest", byte[].class), row.get("node_id", Long.class)))
                .one()
                .flatMap(earlier -> MessageDigest.isEqual(earlier.digest(), claim.digest())
                        ? Mono.just(earlier.nodeId())
                        : Mono.error(new ApiException(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "This " + IdempotencyKey.HEADER + " was used in the last 24 hours for a different"
                                        + " upload (another file, parent_id or node_type); a new upload needs a new"
                                        + " key")));
    }

    private record Earlier(byte[] digest, long nodeId) {}

    /**
     * Records that the node is the claim's upload; meant for the node's own transaction. Fails with
     * {@link KeyTaken} when a fresh row of the same key exists: a concurrent request's insert waits
     * here for that request's transaction, and finds its row once it commits. An expired row is
     * taken over.
     */
    public Mono<Void> claim(Claim claim, long nodeId) {
        return db.sql("INSERT INTO upload.idempotency_keys AS k (user_id, key, request_digest, node_id)"
                        + " VALUES (:user, :key, :digest, :node) ON CONFLICT (user_id, key) DO UPDATE"
                        + " SET request_digest = excluded.request_digest, node_id = excluded.node_id,"
                        + " created_at = now() WHERE NOT (k." + FRESH + ") RETURNING node_id")
                .bind("user", claim.userId())
                .bind("key", claim.key().value())
                .bind("digest", claim.digest())
                .bind("node", nodeId)
                .bind("window", (double) WINDOW.toSeconds())
                .map(row -> row.get(0, Long.class))
                .one()
                .switchIfEmpty(Mono.error(() -> new KeyTaken(claim)))
                .then();
    }

    /** Drops the rows past the window; blocks (for the periodic sweeper's own thread). */
    public long removeExpired() {
        Long removed = db.sql("DELETE FROM upload.idempotency_keys WHERE NOT (" + FRESH + ")")
                .bind("window", (double) WINDOW.toSeconds())
                .fetch()
                .rowsUpdated()
                .block();
        return removed == null ? 0 : removed;
    }
}
