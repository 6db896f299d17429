package hark.transcribe.erasure;

import hark.platform.storage.TranscriptTexts;
import hark.schemas.RecordingErased;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What transcribe-service holds of an erased node, of every job it had: the chunk texts waiting for
 * assembly, the dispatcher's queue and its note of whose the jobs were, and the transcript files
 * (the text the events only point to).
 */
public class TranscribeErasure {

    private final DatabaseClient db;
    private final TranscriptTexts texts;

    public TranscribeErasure(DatabaseClient db, TranscriptTexts texts) {
        this.db = db;
        this.texts = texts;
    }

    public void erase(RecordingErased erased) {
        String jobsOfNode = "(SELECT job_id FROM transcribe.chunk_queue WHERE node_id = :node"
                + " UNION SELECT job_id FROM transcribe.chunk_texts WHERE node_id = :node UNION SELECT :job)";
        db.sql("DELETE FROM transcribe.queue_positions WHERE job_id IN " + jobsOfNode)
                .bind("node", erased.nodeId())
                .bind("job", erased.jobId())
                .then()
                // Whose the jobs were: a user name is personal data too.
                .then(db.sql("DELETE FROM transcribe.job_owners WHERE job_id IN " + jobsOfNode)
                        .bind("node", erased.nodeId())
                        .bind("job", erased.jobId())
                        .then())
                .then(db.sql("DELETE FROM transcribe.chunk_queue WHERE node_id = :node")
                        .bind("node", erased.nodeId())
                        .then())
                .then(db.sql("DELETE FROM transcribe.chunk_texts WHERE node_id = :node")
                        .bind("node", erased.nodeId())
                        .then())
                .block();
        texts.deleteNode(erased.nodeId());
    }
}
