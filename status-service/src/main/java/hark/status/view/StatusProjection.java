package hark.status.view;

import hark.platform.db.ServiceSchema;
import hark.platform.inbox.ProcessedEvents;
import hark.platform.storage.Disk;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.HarkEvent;
import hark.schemas.JobQueued;
import hark.schemas.NoteRetitled;
import hark.schemas.RecordingErased;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.TranscriptAssembled;
import hark.schemas.TranscriptionCancelled;
import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Folds events into the view. Events of one job arrive over several topics and partitions, so
 * any order must give the same row: a status only moves forward, completed and cancelled are final,
 * failed too unless a replay of the job's dead letters reopens it, progress never falls, and an
 * event seen before is skipped in the same transaction. An erased node's rows go, and no event of
 * it is folded again. Each change
 * is also written down as the polling API would answer it, for the live stream.
 *
 * <p>The schema is a parameter so that a rebuild can fold the whole log into a fresh copy.
 */
public class StatusProjection {

    /** The view's name in its inbox. */
    static final String CONSUMER = "status";

    /**
     * Moves pending or processing forward to processing; leaves a final status alone. The start is
     * the earliest event of the work, whatever order the events are folded in.
     */
    private static final String PROCESSING = "status = CASE WHEN status = :pending THEN :processing ELSE status END,"
            + " started_at = least(started_at, :at), updated_at = now()";

    private static final String LIVE = " AND status IN (:pending, :processing)";
    /** Where a stage comes in a job's life (0: none yet); a stage never goes back to an earlier one. */
    private static String stageOrder(String stage) {
        return "coalesce(array_position(ARRAY['prep', 'chunk', 'queued', 'transcribe', 'assemble', 'done']::text[], "
                + stage + "), 0)";
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final TranscriptTexts texts;
    private final String schema;
    private final String view;
    private final ProcessedEvents processed;
    private final StatusRepository views;
    private final Consumer<TranscriptionView> onFinal;

    /** @param onFinal told once when a job becomes completed or failed (metrics), inside the transaction */
    public StatusProjection(
            DatabaseClient db,
            TransactionalOperator tx,
            JsonMapper json,
            TranscriptTexts texts,
            String schema,
            Consumer<TranscriptionView> onFinal) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.texts = texts;
        this.schema = schema;
        this.view = schema + ".transcriptions";
        this.processed = new ProcessedEvents(db, ServiceSchema.of(schema, ServiceSchema.SharedTables.INBOX));
        this.views = new StatusRepository(db, schema);
        this.onFinal = onFinal;
    }

    public Mono<Void> apply(HarkEvent event) {
        Mono<Void> fold = processed
                .firstTime(CONSUMER, event.eventId())
                .flatMap(first -> first ? erased(event.nodeId()) : Mono.just(true))
                .flatMap(skip -> skip
                        ? Mono.<Void>empty()
                        : event instanceof RecordingErased erased
                                ? erase(erased)
                                : event instanceof NoteRetitled retitled ? retitle(retitled) : fold(event));
        return tx.transactional(fold);
    }

    /** True when the node was erased: none of its events is folded any more. */
    private Mono<Boolean> erased(long nodeId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM " + schema + ".erased_nodes WHERE node_id = :node)")
                .bind("node", nodeId)
                .map(row -> row.get(0, Boolean.class))
                .one();
    }

    /** Everything the view holds of the node, of any of its jobs, goes; only its id stays, as erased. */
    private Mono<Void> erase(RecordingErased event) {
        return db.sql("DELETE FROM " + schema + ".chunks WHERE job_id IN (SELECT job_id FROM " + view
                        + " WHERE node_id = :node)")
                .bind("node", event.nodeId())
                .then()
                .then(db.sql("DELETE FROM " + schema + ".changes WHERE node_id = :node")
                        .bind("node", event.nodeId())
                        .then())
                .then(db.sql("DELETE FROM " + schema + ".titles WHERE node_id = :node")
                        .bind("node", event.nodeId())
                        .then())
                .then(db.sql("DELETE FROM " + view + " WHERE node_id = :node")
                        .bind("node", event.nodeId())
                        .then())
                .then(db.sql("INSERT INTO " + schema + ".erased_nodes (node_id) VALUES (:node) ON CONFLICT DO NOTHING")
                        .bind("node", event.nodeId())
                        .then());
    }

    /**
     * A rename touches the node's title only: not its job's row, whose last event time is the
     * watchdog's clock, nor the status change log, which a title is not part of.
     */
    private Mono<Void> retitle(NoteRetitled event) {
        return titleAt(
                event.nodeId(),
                event.userId(),
                event.titlePath(),
                event.occurredAt().atOffset(ZoneOffset.UTC));
    }

    /**
     * The node's title, unless one from a later event is there already: an upload's (or retry's)
     * title and a rename travel on different topics, so they may be folded in either order.
     */
    private Mono<Void> titleAt(long nodeId, String userId, String titlePath, OffsetDateTime at) {
        // Gone only if the node was erased since: nothing to show. Read off the event loop, as a transcript.
        return Disk.call(() -> texts.readTitle(titlePath))
                .flatMap(title -> title.map(t -> title(nodeId, userId, t, at)).orElse(Mono.empty()));
    }

    private Mono<Void> title(long nodeId, String userId, String title, OffsetDateTime at) {
        return db.sql("INSERT INTO " + schema + ".titles AS t (node_id, user_id, title, titled_at)"
                        + " VALUES (:node, :user, :title, :at) ON CONFLICT (node_id) DO UPDATE"
                        + " SET user_id = excluded.user_id, title = excluded.title, titled_at = excluded.titled_at"
                        + " WHERE t.titled_at < excluded.titled_at")
                .bind("node", nodeId)
                .bind("user", userId)
                .bind("title", title)
                .bind("at", at)
                .then();
    }

    private Mono<Void> fold(HarkEvent event) {
        OffsetDateTime at = event.occurredAt().atOffset(ZoneOffset.UTC);
        return ensureRow(event)
                .then(sql(
                                "UPDATE " + view
                                        + " SET last_event_at = greatest(last_event_at, :at) WHERE job_id = :job",
                                event,
                                at)
                        .then())
                .then(update(event, at))
                .flatMap(changed -> changed > 0 ? recordChange(event) : Mono.empty());
    }

    private static boolean ends(HarkEvent event) {
        return event instanceof TranscriptAssembled
                || event instanceof StageFailed
                || event instanceof TranscriptionCancelled;
    }

    private Mono<Void> ensureRow(HarkEvent event) {
        return db.sql("INSERT INTO " + view + " (job_id, node_id) VALUES (:job, :node) ON CONFLICT DO NOTHING")
                .bind("job", event.jobId())
                .bind("node", event.nodeId())
                .then();
    }

    /** Rows of the view this event changed (0 when it changes nothing, a late event say). */
    private Mono<Long> update(HarkEvent event, OffsetDateTime at) {
        return event.accept(new Update(at));
    }

    /**
     * Each event type's change to its job's row. A visitor rather than a chain of {@code instanceof}:
     * Java 17 has no pattern-matching {@code switch}, and this way a new event type does not compile
     * until it is folded here.
     */
    private final class Update implements HarkEvent.Visitor<Mono<Long>> {

        private final OffsetDateTime at;

        Update(OffsetDateTime at) {
            this.at = at;
        }

        @Override
        public Mono<Long> audioUploaded(AudioUploaded e) {
            Mono<Void> title =
                    e.titlePath() == null ? Mono.empty() : titleAt(e.nodeId(), e.userId(), e.titlePath(), at);
            return title.then(sql(
                            "UPDATE " + view + " SET uploaded_at = :at, user_id = :user, updated_at = now()"
                                    + " WHERE job_id = :job",
                            e,
                            at)
                    .bind("user", e.userId())
                    .fetch()
                    .rowsUpdated());
        }

        @Override
        public Mono<Long> noteRetitled(NoteRetitled e) {
            return Mono.just(0L); // apply() keeps the title; the job's row does not change
        }

        @Override
        public Mono<Long> stageStarted(StageStarted e) {
            // Transcription starts when the dispatcher deals the job its first chunk (a job may wait
            // for a consumer): its pace, and so its estimate, count from then.
            return sql(
                            "UPDATE " + view + " SET " + PROCESSING + ", stage = CASE WHEN " + stageOrder("stage")
                                    + " > " + stageOrder(":stage")
                                    + " THEN stage ELSE :stage END, queue_position = NULL,"
                                    + " transcribe_started_at = CASE WHEN :stage = 'transcribe' THEN least(transcribe_started_at, :at)"
                                    + " ELSE transcribe_started_at END, progress = greatest(progress, "
                                    + Progress.STARTED + ")"
                                    + " WHERE job_id = :job" + LIVE,
                            e,
                            at)
                    .bind("stage", e.stage())
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> jobQueued(JobQueued e) {
            return sql(
                            "UPDATE " + view + " SET " + PROCESSING + ", stage = 'queued', queue_position = :position"
                                    + " WHERE job_id = :job" + LIVE + " AND " + stageOrder("stage") + " <= "
                                    + stageOrder("'queued'")
                                    + " AND chunks_done = 0",
                            e,
                            at)
                    .bind("position", e.position())
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> audioPrepared(AudioPrepared e) {
            return sql(
                            "UPDATE " + view + " SET " + PROCESSING + ", duration_seconds = :duration,"
                                    + " progress = greatest(progress, " + Progress.PREPARED
                                    + "), stage = CASE WHEN stage = 'prep' OR stage IS NULL THEN 'chunk' ELSE stage END"
                                    + " WHERE job_id = :job" + LIVE,
                            e,
                            at)
                    .bind("duration", e.durationSeconds())
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> chunkReady(ChunkReady e) {
            return sql(
                            "UPDATE " + view + " SET " + PROCESSING + ", chunks_total = :total,"
                                    + " stage = CASE WHEN stage IN ('prep', 'chunk') OR stage IS NULL THEN 'queued' ELSE stage END,"
                                    + " progress = greatest(progress, " + Progress.CHUNKED + ") WHERE job_id = :job"
                                    + LIVE,
                            e,
                            at)
                    .bind("total", e.chunkCount())
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> chunkTranscribed(ChunkTranscribed e) {
            return chunkDone(e, at);
        }

        @Override
        public Mono<Long> transcriptAssembled(TranscriptAssembled e) {
            // Assembly means every chunk is done, even if the view has not folded each chunk's event yet.
            // A failed job takes it too: after a replay, the transcript (on its own topic) may be read
            // before the replay's event on job.progress that reopens the job.
            // Read off the event loop the fold runs on (the database driver's): a file read waits for the disk.
            return Disk.call(() -> texts.readTranscript(e.textPath()).orElse(e.text() == null ? "" : e.text()))
                    .flatMap(content -> sql(
                                    "UPDATE " + view + " SET status = :completed, progress = 100,"
                                            + " stage = 'done', error = NULL, content = :content, completed_at = :at,"
                                            + " language = coalesce(:language, language),"
                                            + " started_at = least(started_at, :at), chunks_total = :count, chunks_done = :count,"
                                            + " updated_at = now() WHERE job_id = :job AND status IN (:pending, :processing, :failed)",
                                    e,
                                    at)
                            .bind("content", content)
                            .bind("count", e.chunkCount())
                            .bind("language", Parameter.fromOrEmpty(e.language(), String.class))
                            .fetch()
                            .rowsUpdated());
        }

        @Override
        public Mono<Long> transcriptionCancelled(TranscriptionCancelled e) {
            return sql(
                            "UPDATE " + view + " SET status = :cancelled, error = 'Cancelled by ' || :by || '.',"
                                    + " completed_at = :at, updated_at = now() WHERE job_id = :job" + LIVE,
                            e,
                            at)
                    .bind("by", e.cancelledBy())
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> deadLetterReplayed(DeadLetterReplayed e) {
            // Back to work where it stopped: the replayed record carries on, and so does the job.
            return sql(
                            "UPDATE " + view + " SET status = :processing, error = NULL, completed_at = NULL,"
                                    + " replayed_at = greatest(replayed_at, :at), updated_at = now()"
                                    + " WHERE job_id = :job AND status = :failed",
                            e,
                            at)
                    .fetch()
                    .rowsUpdated();
        }

        @Override
        public Mono<Long> recordingErased(RecordingErased e) {
            return Mono.just(0L); // apply() erases; nothing here to update
        }

        @Override
        public Mono<Long> stageFailed(StageFailed e) {
            return sql(
                            "UPDATE " + view + " SET status = :failed, error = :error, stage = :stage,"
                                    + " completed_at = :at, updated_at = now() WHERE job_id = :job" + LIVE,
                            e,
                            at)
                    .bind("error", e.reason())
                    .bind("stage", e.stage())
                    .fetch()
                    .rowsUpdated();
        }
    }

    private Mono<Long> chunkDone(ChunkTranscribed e, OffsetDateTime at) {
        // Gone only if the job was cancelled (or its node erased) since: nothing left to show. Read
        // off the event loop, as the transcript above.
        return Disk.call(() -> texts.readChunk(e.textPath()).orElse(new TranscriptTexts.ChunkText("", List.of(), null)))
                .flatMap(chunk -> chunkDone(e, chunk, at));
    }

    private Mono<Long> chunkDone(ChunkTranscribed e, TranscriptTexts.ChunkText chunk, OffsetDateTime at) {
        Mono<Void> remember = db.sql("INSERT INTO " + schema + ".chunks (job_id, chunk_index, text, start_seconds,"
                        + " end_seconds, segments) VALUES (:job, :index, :text, :start, :end, :segments)"
                        + " ON CONFLICT DO NOTHING")
                .bind("job", e.jobId())
                .bind("index", e.chunkIndex())
                .bind("text", chunk.text())
                .bind("start", e.startSeconds())
                .bind("end", e.endSeconds())
                .bind("segments", Json.of(json.writeValueAsString(chunk.segments())))
                .then();
        Mono<Long> count = db.sql("SELECT count(*) FROM " + schema + ".chunks WHERE job_id = :job")
                .bind("job", e.jobId())
                .map(row -> row.get(0, Long.class).intValue())
                .one()
                .flatMap(done -> sql(
                                "UPDATE " + view + " SET " + PROCESSING + ", chunks_total = :total,"
                                        + " chunks_done = greatest(chunks_done, :done), last_chunk_at = greatest(last_chunk_at, :at),"
                                        + " transcribe_started_at = least(transcribe_started_at, :at),"
                                        + " stage = CASE WHEN :done >= :total THEN 'assemble' ELSE 'transcribe' END,"
                                        + " language = coalesce(language, :language),"
                                        + " progress = greatest(progress, :progress) WHERE job_id = :job" + LIVE,
                                e,
                                at)
                        .bind("total", e.chunkCount())
                        .bind("done", done)
                        .bind("progress", Progress.afterChunks(done, e.chunkCount()))
                        .bind("language", Parameter.fromOrEmpty(e.language(), String.class))
                        .fetch()
                        .rowsUpdated());
        return remember.then(count);
    }

    /** The view as the polling API answers it now, kept as the next entry of the node's change log. */
    private Mono<Void> recordChange(HarkEvent event) {
        return views.forJob(event.jobId()).flatMap(row -> {
            if (row.isFinal() && ends(event)) {
                onFinal.accept(row);
            }
            String state = json.writeValueAsString(StatusResponse.of(row, OffsetDateTime.now(ZoneOffset.UTC)));
            return db.sql("INSERT INTO " + schema + ".changes (job_id, node_id, state) VALUES (:job, :node, :state)")
                    .bind("job", row.jobId())
                    .bind("node", row.nodeId())
                    .bind("state", Json.of(state))
                    .then();
        });
    }

    /** Binds the job, {@code :at}, and each status the statement names by its word ({@code :pending}, ...). */
    private DatabaseClient.GenericExecuteSpec sql(String sql, HarkEvent event, OffsetDateTime at) {
        var spec = db.sql(sql).bind("job", event.jobId());
        for (JobStatus status : JobStatus.values()) {
            if (sql.contains(":" + status.db())) {
                spec = spec.bind(status.db(), status.db());
            }
        }
        return sql.contains(":at") ? spec.bind("at", at) : spec;
    }
}
