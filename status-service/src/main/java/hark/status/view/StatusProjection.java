package hark.status.view;

import hark.platform.inbox.ProcessedEvents;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.TranscriptAssembled;
import hark.status.StatusServiceConfiguration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Folds events into the view. Events of one job arrive over several topics and partitions, so
 * any order must give the same row: a status only moves forward, completed and failed are final,
 * progress never falls, and an event seen before is skipped in the same transaction.
 */
@Component
public class StatusProjection {

    /** Moves pending or processing forward to processing; leaves a final status alone. */
    private static final String PROCESSING = "status = CASE WHEN status = 'pending' THEN 'processing' ELSE status END,"
            + " started_at = coalesce(started_at, :at), updated_at = now()";
    private static final String LIVE = " AND status IN ('pending', 'processing')";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ProcessedEvents processed;

    public StatusProjection(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
        this.processed = new ProcessedEvents(db, StatusServiceConfiguration.SCHEMA);
    }

    public Mono<Void> apply(HarkEvent event) {
        Mono<Void> fold = processed.firstTime(event.eventId())
                .flatMap(first -> first ? ensureRow(event).then(update(event)) : Mono.empty());
        return tx.transactional(fold);
    }

    private Mono<Void> ensureRow(HarkEvent event) {
        return db.sql("INSERT INTO status.transcriptions (job_id, node_id) VALUES (:job, :node) ON CONFLICT DO NOTHING")
                .bind("job", event.jobId()).bind("node", event.nodeId()).then();
    }

    private Mono<Void> update(HarkEvent event) {
        OffsetDateTime at = event.occurredAt().atOffset(ZoneOffset.UTC);
        // Java 17 has no pattern switch; the sealed interface keeps this list complete in review.
        if (event instanceof AudioUploaded e) {
            return sql("UPDATE status.transcriptions SET uploaded_at = :at, updated_at = now() WHERE job_id = :job",
                    e, at).then();
        }
        if (event instanceof StageStarted e) {
            return sql("UPDATE status.transcriptions SET " + PROCESSING + ", stage = :stage, progress = greatest(progress, "
                    + Progress.STARTED + ") WHERE job_id = :job" + LIVE, e, at).bind("stage", e.stage()).then();
        }
        if (event instanceof AudioPrepared e) {
            return sql("UPDATE status.transcriptions SET " + PROCESSING + ", progress = greatest(progress, "
                    + Progress.PREPARED + "), stage = CASE WHEN stage = 'prep' OR stage IS NULL THEN 'chunk' ELSE stage END"
                    + " WHERE job_id = :job" + LIVE, e, at).then();
        }
        if (event instanceof ChunkReady e) {
            return sql("UPDATE status.transcriptions SET " + PROCESSING + ", chunks_total = :total,"
                    + " stage = CASE WHEN stage IN ('prep', 'chunk') OR stage IS NULL THEN 'transcribe' ELSE stage END,"
                    + " progress = greatest(progress, " + Progress.CHUNKED + ") WHERE job_id = :job" + LIVE, e, at)
                    .bind("total", e.chunkCount()).then();
        }
        if (event instanceof ChunkTranscribed e) {
            return chunkDone(e, at);
        }
        if (event instanceof TranscriptAssembled e) {
            return sql("UPDATE status.transcriptions SET status = 'completed', progress = 100, stage = 'done',"
                    + " content = :content, completed_at = :at, started_at = coalesce(started_at, :at),"
                    + " updated_at = now() WHERE job_id = :job" + LIVE, e, at).bind("content", e.text()).then();
        }
        StageFailed e = (StageFailed) event;
        return sql("UPDATE status.transcriptions SET status = 'failed', error = :error, stage = :stage,"
                + " completed_at = :at, updated_at = now() WHERE job_id = :job" + LIVE, e, at)
                .bind("error", e.reason()).bind("stage", e.stage()).then();
    }

    private Mono<Void> chunkDone(ChunkTranscribed e, OffsetDateTime at) {
        Mono<Void> remember = db.sql("INSERT INTO status.chunks (job_id, chunk_index, text, start_seconds, end_seconds)"
                        + " VALUES (:job, :index, :text, :start, :end) ON CONFLICT DO NOTHING")
                .bind("job", e.jobId()).bind("index", e.chunkIndex()).bind("text", e.text())
                .bind("start", e.startSeconds()).bind("end", e.endSeconds()).then();
        Mono<Void> count = db.sql("SELECT count(*) FROM status.chunks WHERE job_id = :job").bind("job", e.jobId())
                .map(row -> row.get(0, Long.class).intValue()).one()
                .flatMap(done -> sql("UPDATE status.transcriptions SET " + PROCESSING + ", chunks_total = :total,"
                        + " chunks_done = greatest(chunks_done, :done),"
                        + " stage = CASE WHEN :done >= :total THEN 'assemble' ELSE 'transcribe' END,"
                        + " progress = greatest(progress, :progress) WHERE job_id = :job" + LIVE, e, at)
                        .bind("total", e.chunkCount()).bind("done", done)
                        .bind("progress", Progress.afterChunks(done, e.chunkCount())).then());
        return remember.then(count);
    }

    private DatabaseClient.GenericExecuteSpec sql(String sql, HarkEvent event, OffsetDateTime at) {
        var spec = db.sql(sql).bind("job", event.jobId());
        return sql.contains(":at") ? spec.bind("at", at) : spec;
    }
}
