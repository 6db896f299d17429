package hark.upload.node;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.platform.storage.Disk;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.AudioUploaded;
import hark.schemas.NoteRetitled;
import hark.schemas.RecordingErased;
import hark.schemas.TranscriptionCancelled;
import hark.upload.idempotency.IdempotencyKeys;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class NodeRepository {

    private static final String COLUMNS = "id, user_id, parent_id, node_type, content, audio_path, "
            + "audio_mime_type, audio_size_bytes, transcription_task_id, transcription_state, created_at, audio_deleted_at, title";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final IdempotencyKeys keys;
    private final TranscriptTexts texts;

    public NodeRepository(
            DatabaseClient db,
            TransactionalOperator tx,
            EventPublisher publisher,
            @Qualifier("uploadOutboxRelay") OutboxRelay relay,
            IdempotencyKeys keys,
            TranscriptTexts texts) {
        this.db = db;
        this.tx = tx;
        this.outbox = new OutboxWriter(db, publisher, relay);
        this.keys = keys;
        this.texts = texts;
    }

    /**
     * The node's title written to storage for its event to name (a claim check: the log holds no
     * words of anyone's); empty for a node without a title. Written before the transaction commits:
     * one that then fails leaves a file under the node's texts that nothing names, which the
     * node's erasure (or nothing, for a node never made) leaves behind as harmlessly as a transcript.
     */
    private Mono<Optional<String>> titlePath(long nodeId, String title) {
        return title == null ? Mono.just(Optional.empty()) : Disk.call(() -> Optional.of(texts.title(nodeId, title)));
    }

    /**
     * The node, its upload's Idempotency-Key (when {@code claim} is not null) and the event that
     * starts its transcription, in one transaction. The key is claimed before the event is written: a
     * request that loses its key to a concurrent one ({@link hark.upload.idempotency.KeyTaken}) rolls
     * back before it has drawn an outbox id.
     */
    public Mono<Node> insertAudio(
            String userId,
            Long parentId,
            String nodeType,
            UUID jobId,
            String audioPath,
            String mimeType,
            long sizeBytes,
            String callbackUrl,
            String title,
            IdempotencyKeys.Claim claim) {
        Mono<Node> work = db.sql("SELECT nextval('upload.nodes_id_seq')")
                .map(r -> r.get(0, Long.class))
                .one()
                .flatMap(id -> db.sql("INSERT INTO upload.nodes (id, user_id, parent_id, node_type, content,"
                                + " audio_original_url, audio_path, audio_mime_type, audio_size_bytes,"
                                + " transcription_task_id, transcription_state, callback_url, title) VALUES (:id, :user,"
                                + " :parent, :type, :content, :url, :path, :mime, :size, :job, :running, :callback, :title)"
                                + " RETURNING "
                                + COLUMNS)
                        .bind("id", id)
                        .bind("user", userId)
                        .bind("parent", parentOrNull(parentId))
                        .bind("type", nodeType)
                        .bind("content", Node.PENDING_PLACEHOLDER)
                        .bind("url", "/api/nodes/" + id + "/audio")
                        .bind("path", audioPath)
                        .bind("mime", mimeType)
                        .bind("size", sizeBytes)
                        .bind("job", jobId)
                        .bind("running", TranscriptionState.RUNNING.db())
                        .bind("callback", Parameter.fromOrEmpty(callbackUrl, String.class))
                        .bind("title", Parameter.fromOrEmpty(title, String.class))
                        .map(NodeRepository::toNode)
                        .one())
                .flatMap(node -> claim == null
                        ? Mono.just(node)
                        : keys.claim(claim, node.id()).thenReturn(node))
                .flatMap(node -> titlePath(node.id(), title)
                        .flatMap(path -> outbox.append(AudioUploaded.of(
                                jobId, node.id(), userId, audioPath, mimeType, sizeBytes, path.orElse(null))))
                        .thenReturn(node));
        return tx.transactional(work);
    }

    public Mono<Node> insertText(String userId, Long parentId, String nodeType, String content) {
        return db.sql("INSERT INTO upload.nodes (user_id, parent_id, node_type, content)"
                        + " VALUES (:user, :parent, :type, :content) RETURNING " + COLUMNS)
                .bind("user", userId)
                .bind("parent", parentOrNull(parentId))
                .bind("type", nodeType)
                .bind("content", content)
                .map(NodeRepository::toNode)
                .one();
    }

    public Mono<Node> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM upload.nodes WHERE id = :id")
                .bind("id", id)
                .map(NodeRepository::toNode)
                .one();
    }

    /** The node's current job failed (a failure of an older job changes nothing). Idempotent. */
    public Mono<Long> markFailed(long nodeId, UUID jobId) {
        return moveState(nodeId, jobId, TranscriptionState.RUNNING, TranscriptionState.FAILED);
    }

    /** A replay of its dead letters put the node's failed job back to work. Idempotent. */
    public Mono<Long> markReplayed(long nodeId, UUID jobId) {
        return moveState(nodeId, jobId, TranscriptionState.FAILED, TranscriptionState.RUNNING);
    }

    private Mono<Long> moveState(long nodeId, UUID jobId, TranscriptionState from, TranscriptionState to) {
        return db.sql("UPDATE upload.nodes SET transcription_state = :to, updated_at = now()"
                        + " WHERE id = :id AND transcription_task_id = :job AND transcription_state = :from")
                .bind("to", to.db())
                .bind("id", nodeId)
                .bind("job", jobId)
                .bind("from", from.db())
                .fetch()
                .rowsUpdated();
    }

    /**
     * A new attempt of a failed or cancelled transcription: a new job on the same recording,
     * announced in the same transaction. Empty when the node's current job is not one of those.
     */
    public Mono<Node> retry(long nodeId, UUID newJob) {
        return restart(
                nodeId,
                newJob,
                EnumSet.of(TranscriptionState.FAILED, TranscriptionState.CANCELLED),
                Node.PENDING_PLACEHOLDER);
    }

    /**
     * A new job for a node whose job is not running (after an engine change, say). The node keeps
     * its transcript until the new one replaces it. Empty when the node's job is running.
     */
    public Mono<Node> reprocess(long nodeId, UUID newJob) {
        return restart(nodeId, newJob, EnumSet.complementOf(EnumSet.of(TranscriptionState.RUNNING)), null);
    }

    private Mono<Node> restart(long nodeId, UUID newJob, Set<TranscriptionState> from, String content) {
        Mono<Node> work = db.sql("UPDATE upload.nodes SET transcription_task_id = :job, transcription_state = :running,"
                        + " content = coalesce(:content, content), updated_at = now()"
                        + " WHERE id = :id AND audio_deleted_at IS NULL AND transcription_state IN (:from)"
                        + " RETURNING " + COLUMNS)
                .bind("job", newJob)
                .bind("content", Parameter.fromOrEmpty(content, String.class))
                .bind("running", TranscriptionState.RUNNING.db())
                .bind("from", from.stream().map(TranscriptionState::db).toList())
                .bind("id", nodeId)
                .map(NodeRepository::toNode)
                .one()
                .flatMap(node -> titlePath(node.id(), node.title())
                        .flatMap(path -> outbox.append(AudioUploaded.of(
                                newJob,
                                node.id(),
                                node.userId(),
                                node.audioPath(),
                                node.audioMimeType(),
                                node.audioSizeBytes(),
                                path.orElse(null))))
                        .thenReturn(node));
        return tx.transactional(work);
    }

    /**
     * Renames the node, announced in the same transaction when it has a job (a text node has none,
     * and nobody else keeps its title). Empty when the node is gone.
     */
    public Mono<Node> retitle(long nodeId, String title) {
        Mono<Node> work = db.sql("UPDATE upload.nodes SET title = :title, updated_at = now() WHERE id = :id RETURNING "
                        + COLUMNS)
                .bind("title", title)
                .bind("id", nodeId)
                .map(NodeRepository::toNode)
                .one()
                .flatMap(node -> node.transcriptionTaskId() == null
                        ? Mono.just(node)
                        : titlePath(node.id(), title)
                                .flatMap(path -> outbox.append(NoteRetitled.of(
                                        node.transcriptionTaskId(), node.id(), node.userId(), path.orElseThrow())))
                                .thenReturn(node));
        return tx.transactional(work);
    }

    /**
     * Cancels the node's running job, announced in the same transaction; a node still waiting for
     * its first transcript says it was cancelled. Empty when no job of the node is running.
     */
    public Mono<Node> cancel(long nodeId, String cancelledBy) {
        Mono<Node> work = db.sql("UPDATE upload.nodes SET transcription_state = :to, updated_at = now(),"
                        + " content = CASE WHEN content = :pending THEN :cancelled ELSE content END"
                        + " WHERE id = :id AND transcription_state = :from RETURNING " + COLUMNS)
                .bind("to", TranscriptionState.CANCELLED.db())
                .bind("from", TranscriptionState.RUNNING.db())
                .bind("pending", Node.PENDING_PLACEHOLDER)
                .bind("cancelled", Node.CANCELLED_PLACEHOLDER)
                .bind("id", nodeId)
                .map(NodeRepository::toNode)
                .one()
                .flatMap(node -> outbox.append(
                                TranscriptionCancelled.of(node.transcriptionTaskId(), node.id(), cancelledBy))
                        .thenReturn(node));
        return tx.transactional(work);
    }

    /**
     * Deletes the node and every node under it, and announces each recording among them as erased,
     * in one transaction: the other services erase their part from the event, also when they
     * were down at the time. Empty when the node is gone already.
     */
    public Flux<Node> erase(long nodeId, String erasedBy) {
        Flux<Node> work = db.sql("WITH RECURSIVE tree AS (SELECT id FROM upload.nodes WHERE id = :id"
                        + " UNION SELECT n.id FROM upload.nodes n JOIN tree ON n.parent_id = tree.id)"
                        + " DELETE FROM upload.nodes WHERE id IN (SELECT id FROM tree) RETURNING " + COLUMNS)
                .bind("id", nodeId)
                .map(NodeRepository::toNode)
                .all()
                .concatMap(node -> node.transcriptionTaskId() == null
                        ? Mono.just(node)
                        : outbox.append(RecordingErased.of(
                                        node.transcriptionTaskId(), node.id(), node.audioPath(), erasedBy))
                                .thenReturn(node));
        return tx.transactional(work);
    }

    /** Every node of the user, oldest first (for their export). */
    public Flux<Node> allOf(String userId) {
        return db.sql("SELECT " + COLUMNS + " FROM upload.nodes WHERE user_id = :user ORDER BY id")
                .bind("user", userId)
                .map(NodeRepository::toNode)
                .all();
    }

    /** The ids of the user's top nodes (those with no parent): erasing them erases all of the user's. */
    public Flux<Long> rootsOf(String userId) {
        return db.sql("SELECT id FROM upload.nodes WHERE user_id = :user AND (parent_id IS NULL OR parent_id NOT IN"
                        + " (SELECT id FROM upload.nodes WHERE user_id = :user)) ORDER BY id")
                .bind("user", userId)
                .map(row -> row.get(0, Long.class))
                .all();
    }

    /** Audio nodes created since then (all when null) whose transcription could be run again, by id. */
    public Flux<Long> reprocessable(OffsetDateTime since) {
        return db.sql("SELECT id FROM upload.nodes WHERE audio_path IS NOT NULL AND audio_deleted_at IS NULL"
                        + " AND transcription_task_id IS NOT NULL AND created_at >= coalesce(:since, '-infinity')"
                        + " ORDER BY id")
                .bind("since", Parameter.fromOrEmpty(since, OffsetDateTime.class))
                .map(row -> row.get(0, Long.class))
                .all();
    }

    /**
     * The node's current job produced this transcript. Idempotent: a second delivery changes nothing.
     * Taken from a failed job too: after a replay the transcript (on its own topic) may be read before
     * the replay's event (on job.progress) that reopens the job; only a cancel drops it.
     */
    public Mono<Long> setTranscript(long nodeId, UUID jobId, String transcript) {
        return db.sql("UPDATE upload.nodes SET content = :text, transcription_state = :completed, updated_at = now()"
                        + " WHERE id = :id AND transcription_task_id = :job"
                        + " AND transcription_state IN (:running, :failed)")
                .bind("text", transcript)
                .bind("id", nodeId)
                .bind("job", jobId)
                .bind("completed", TranscriptionState.COMPLETED.db())
                .bind("running", TranscriptionState.RUNNING.db())
                .bind("failed", TranscriptionState.FAILED.db())
                .fetch()
                .rowsUpdated();
    }

    private static Parameter parentOrNull(Long parentId) {
        return Parameter.fromOrEmpty(parentId, Long.class);
    }

    private static Node toNode(Readable row) {
        return new Node(
                row.get("id", Long.class),
                row.get("user_id", String.class),
                row.get("parent_id", Long.class),
                row.get("node_type", String.class),
                row.get("content", String.class),
                row.get("audio_path", String.class),
                row.get("audio_mime_type", String.class),
                row.get("audio_size_bytes", Long.class),
                row.get("transcription_task_id", UUID.class),
                TranscriptionState.ofDb(row.get("transcription_state", String.class)),
                row.get("created_at", OffsetDateTime.class),
                row.get("audio_deleted_at", OffsetDateTime.class),
                row.get("title", String.class));
    }
}
