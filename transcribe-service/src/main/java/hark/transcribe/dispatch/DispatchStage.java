package hark.transcribe.dispatch;

import hark.platform.kafka.EventRecords;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.PriorityChanged;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The dispatch stage: chunks as they are cut go into the queue ({@link Dispatcher} deals them
 * out), each job's owner is remembered (chunks are dealt fairly among users), a user's weight
 * set by an admin is kept, and a job that failed no longer counts its chunks as in flight. Every write is keyed by what it is about, so a
 * redelivered or replayed record changes nothing.
 */
@Component
public class DispatchStage {

    /** The stage\'s name: in its failures, its dead letters and its inbox. */
    public static final String STAGE = "dispatch";

    private final EventCodec codec;
    private final DatabaseClient db;
    private final Dispatcher dispatcher;

    public DispatchStage(EventCodec codec, DatabaseClient db, Dispatcher dispatcher) {
        this.codec = codec;
        this.db = db;
        this.dispatcher = dispatcher;
    }

    /**
     * A whole poll at a time, then one dispatch round: a long recording's chunks all join the
     * queue at once, and a voice note that arrives behind them waits for one round, not for a
     * round per chunk.
     */
    @KafkaListener(
            id = "${hark.kafka.group-prefix}-dispatch",
            info = STAGE,
            batch = "true",
            topics = {Topics.AUDIO_CHUNKS_WAITING, Topics.AUDIO_UPLOADED, Topics.JOB_PROGRESS, Topics.ACCOUNT_PRIORITIES
            },
            properties = "max.poll.records=500")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        boolean changed = false;
        for (int i = 0; i < records.size(); i++) {
            try {
                changed |= apply(records.get(i));
            } catch (RuntimeException e) {
                // Only this record is retried or dead-lettered; the ones before it are done.
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
        }
        if (changed) {
            dispatcher.release();
        }
    }

    /** True when the queue changed in a way that may let a chunk go out. */
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        if (Topics.ACCOUNT_PRIORITIES.equals(record.topic())) {
            if (record.value() == null) { // a tombstone: the account is gone
                db.sql("DELETE FROM transcribe.user_priorities WHERE user_id = :user AND source = 'admin'")
                        .bind("user", record.key())
                        .then()
                        .block();
            } else {
                prioritise(codec.decodeRecord(record.value(), PriorityChanged.class));
            }
            return true;
        }
        HarkEvent event = EventRecords.decode(codec, record);
        if (event instanceof ChunkReady chunk) {
            queue(chunk, record.value());
            return true;
        }
        if (event instanceof AudioUploaded uploaded) {
            own(uploaded);
            return true;
        }
        if (event instanceof StageFailed failed && "transcribe".equals(failed.stage())) {
            db.sql("UPDATE transcribe.chunk_queue SET state = 'failed' WHERE job_id = :job AND state = 'released'")
                    .bind("job", failed.jobId())
                    .then()
                    .block();
            return true;
        }
        return false;
    }

    /** A chunk joins the queue under its job's owner (the job itself until its upload is read). */
    private void queue(ChunkReady chunk, byte[] event) {
        db.sql("INSERT INTO transcribe.chunk_queue (job_id, chunk_index, event_id, node_id, user_id, event)"
                        + " VALUES (:job, :index, :id, :node, coalesce((SELECT user_id FROM transcribe.job_owners"
                        + " WHERE job_id = :job), :job::text), :event) ON CONFLICT (job_id, chunk_index) DO NOTHING")
                .bind("job", chunk.jobId())
                .bind("index", chunk.chunkIndex())
                .bind("id", chunk.eventId())
                .bind("node", chunk.nodeId())
                .bind("event", event)
                .then()
                .block();
    }

    private void prioritise(PriorityChanged priority) {
        db.sql("INSERT INTO transcribe.user_priorities (user_id, weight, source) VALUES (:user, :weight, 'admin')"
                        + " ON CONFLICT (user_id) DO UPDATE SET weight = :weight, source = 'admin'")
                .bind("user", priority.username())
                .bind("weight", priority.weight())
                .then()
                .block();
    }

    private void own(AudioUploaded uploaded) {
        db.sql("INSERT INTO transcribe.job_owners (job_id, user_id) VALUES (:job, :user) ON CONFLICT DO NOTHING")
                .bind("job", uploaded.jobId())
                .bind("user", uploaded.userId())
                .then()
                .then(db.sql("UPDATE transcribe.chunk_queue SET user_id = :user WHERE job_id = :job"
                                + " AND user_id = :job::text")
                        .bind("job", uploaded.jobId())
                        .bind("user", uploaded.userId())
                        .then())
                .block();
    }
}
