package hark.transcribe.erasure;

import hark.platform.storage.Storage;
import hark.schemas.RecordingErased;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What transcribe-service holds of an erased node, of every job it had: the chunk texts waiting for
 * assembly, the dispatcher's queue, and the transcript files (the text the events only point to).
 */
public class TranscribeErasure {

    private final DatabaseClient db;
    private final Storage storage;

    public TranscribeErasure(DatabaseClient db, Storage storage) {
        this.db = db;
        this.storage = storage;
    }

    public void erase(RecordingErased erased) {
        db.sql("DELETE FROM transcribe.queue_positions WHERE job_id IN"
                        + " (SELECT job_id FROM transcribe.chunk_queue WHERE node_id = :node)")
                .bind("node", erased.nodeId()).then()
                .then(db.sql("DELETE FROM transcribe.chunk_queue WHERE node_id = :node").bind("node", erased.nodeId())
                        .then())
                .then(db.sql("DELETE FROM transcribe.chunk_texts WHERE node_id = :node").bind("node", erased.nodeId())
                        .then())
                .block();
        Storage.deleteTree(storage.texts(erased.nodeId()));
    }
}
