package hark.upload.node;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AudioUploaded;
import hark.upload.UploadServiceConfiguration;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.UUID;

@Repository
public class NodeRepository {

    private static final String COLUMNS = "id, user_id, parent_id, node_type, content, audio_path, "
            + "audio_mime_type, audio_size_bytes, transcription_task_id, created_at";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;

    public NodeRepository(DatabaseClient db, TransactionalOperator tx, EventPublisher publisher) {
        this.db = db;
        this.tx = tx;
        this.outbox = new OutboxWriter(db, publisher, UploadServiceConfiguration.SCHEMA);
    }

    /** The node and the event that starts its transcription, in one transaction. */
    public Mono<Node> insertAudio(String userId, Long parentId, String nodeType, UUID jobId, String audioPath,
                                  String mimeType, long sizeBytes) {
        Mono<Node> work = db.sql("SELECT nextval('upload.nodes_id_seq')").map(r -> r.get(0, Long.class)).one()
                .flatMap(id -> db.sql("INSERT INTO upload.nodes (id, user_id, parent_id, node_type, content,"
                                + " audio_original_url, audio_path, audio_mime_type, audio_size_bytes,"
                                + " transcription_task_id) VALUES (:id, :user, :parent, :type, :content, :url, :path,"
                                + " :mime, :size, :job) RETURNING " + COLUMNS)
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
                        .map(NodeRepository::toNode).one())
                .flatMap(node -> outbox.append(AudioUploaded.of(jobId, node.id(), userId, audioPath, mimeType,
                        sizeBytes)).thenReturn(node));
        return tx.transactional(work);
    }

    public Mono<Node> insertText(String userId, Long parentId, String nodeType, String content) {
        return db.sql("INSERT INTO upload.nodes (user_id, parent_id, node_type, content)"
                        + " VALUES (:user, :parent, :type, :content) RETURNING " + COLUMNS)
                .bind("user", userId)
                .bind("parent", parentOrNull(parentId))
                .bind("type", nodeType)
                .bind("content", content)
                .map(NodeRepository::toNode).one();
    }

    public Mono<Node> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM upload.nodes WHERE id = :id").bind("id", id)
                .map(NodeRepository::toNode).one();
    }

    /** The node's current job failed (a failure of an older job changes nothing). Idempotent. */
    public Mono<Long> markFailed(long nodeId, UUID jobId) {
        return db.sql("UPDATE upload.nodes SET transcription_failed = true, updated_at = now()"
                        + " WHERE id = :id AND transcription_task_id = :job AND NOT transcription_failed")
                .bind("id", nodeId).bind("job", jobId).fetch().rowsUpdated();
    }

    /**
     * A new attempt of a failed transcription: a new job on the same recording, announced in the
     * same transaction. Empty when the node's current job has not failed.
     */
    public Mono<Node> retry(long nodeId, UUID newJob) {
        Mono<Node> work = db.sql("UPDATE upload.nodes SET transcription_task_id = :job, transcription_failed = false,"
                        + " content = :content, updated_at = now() WHERE id = :id AND transcription_failed"
                        + " RETURNING " + COLUMNS)
                .bind("job", newJob).bind("content", Node.PENDING_PLACEHOLDER).bind("id", nodeId)
                .map(NodeRepository::toNode).one()
                .flatMap(node -> outbox.append(AudioUploaded.of(newJob, node.id(), node.userId(), node.audioPath(),
                        node.audioMimeType(), node.audioSizeBytes())).thenReturn(node));
        return tx.transactional(work);
    }

    /** Idempotent: applying the same transcript twice leaves the same row. */
    public Mono<Long> setTranscript(long nodeId, UUID jobId, String transcript) {
        return db.sql("UPDATE upload.nodes SET content = :text, updated_at = now()"
                        + " WHERE id = :id AND transcription_task_id = :job AND content IS DISTINCT FROM :text")
                .bind("text", transcript).bind("id", nodeId).bind("job", jobId)
                .fetch().rowsUpdated();
    }

    private static org.springframework.r2dbc.core.Parameter parentOrNull(Long parentId) {
        return org.springframework.r2dbc.core.Parameter.fromOrEmpty(parentId, Long.class);
    }

    private static Node toNode(Readable row) {
        return new Node(row.get("id", Long.class), row.get("user_id", String.class), row.get("parent_id", Long.class),
                row.get("node_type", String.class), row.get("content", String.class),
                row.get("audio_path", String.class), row.get("audio_mime_type", String.class),
                row.get("audio_size_bytes", Long.class), row.get("transcription_task_id", UUID.class), row.get("created_at", OffsetDateTime.class));
    }
}
