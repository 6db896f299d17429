package hark.transcribe.dispatch;

import hark.platform.outbox.OutboxWriter;
import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.JobQueued;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.transcribe.chunk.TranscribeStage;
import io.r2dbc.spi.Readable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deals waiting chunks out to the transcribe consumers, fairly: never more chunks in flight than
 * there are consumers, one per consumer, and each free consumer gets the next chunk of the user
 * with the fewest chunks in flight (weighed by their priority), then of that user's job with the
 * fewest, then the oldest. So a job alone gets every consumer, and a voice note that arrives while
 * a long recording holds them all starts as soon as any one of them is free.
 *
 * <p>A released chunk is put on the chunk topic's partition {@code k}, consumer {@code k}'s: the
 * transcribe consumers use the round-robin assignor, under which consumer {@code k} of {@code C}
 * owns partitions {@code k, k+C, ...}. A chunk is in flight from its release until the transcribe
 * stage has processed it (its event id is in the inbox), its job was cancelled, or its job failed.
 *
 * <p>Every round runs in one transaction under an advisory lock, so any number of dispatchers (one
 * per transcribe-service process) can run rounds at once: the queue, the released chunks and the
 * events announcing them commit together (the outbox), and a crash only means a round to redo.
 */
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Any fixed number: the key of the advisory lock all dispatchers share. */
    private static final long LOCK = 0x4841524bL;

    private static final String SETTLE = "UPDATE transcribe.chunk_queue q SET state = 'done'"
            + " WHERE state = 'released' AND (EXISTS (SELECT 1 FROM transcribe.processed_events p"
            + " WHERE p.consumer IN ('" + TranscribeStage.STAGE
            + "', '') AND p.event_id = q.event_id) OR EXISTS (SELECT 1 FROM transcribe.cancelled_jobs c"
            + " WHERE c.job_id = q.job_id))";
    /** The fair order: user's chunks in flight over their weight, then the job's, then age. */
    private static final String FAIR_ORDER = " ORDER BY coalesce(u.n, 0)::float / coalesce(w.weight, 1),"
            + " coalesce(w.weight, 1) DESC, coalesce(j.n, 0), q.queued_at, q.job_id, q.chunk_index";

    private static final String IN_FLIGHT = "WITH by_user AS (SELECT user_id, count(*) AS n"
            + " FROM transcribe.chunk_queue WHERE state = 'released' GROUP BY user_id),"
            + " by_job AS (SELECT job_id, count(*) AS n FROM transcribe.chunk_queue WHERE state = 'released'"
            + " GROUP BY job_id) ";
    private static final String NEXT = IN_FLIGHT + "SELECT q.job_id, q.chunk_index, q.node_id, q.event"
            + " FROM transcribe.chunk_queue q LEFT JOIN by_user u USING (user_id) LEFT JOIN by_job j USING (job_id)"
            + " LEFT JOIN transcribe.user_priorities w USING (user_id)"
            + " WHERE q.state = 'waiting' AND NOT EXISTS (SELECT 1 FROM transcribe.cancelled_jobs c"
            + " WHERE c.job_id = q.job_id)" + FAIR_ORDER + " LIMIT 1";
    /** Jobs none of whose chunks has been dealt out yet, in the order they would get their first. */
    private static final String WAITING_JOBS = IN_FLIGHT + "SELECT q.job_id, q.node_id FROM ("
            + " SELECT DISTINCT ON (job_id) * FROM transcribe.chunk_queue WHERE state = 'waiting'"
            + " ORDER BY job_id, chunk_index) q LEFT JOIN by_user u USING (user_id) LEFT JOIN by_job j USING (job_id)"
            + " LEFT JOIN transcribe.user_priorities w USING (user_id)"
            + " WHERE NOT EXISTS (SELECT 1 FROM transcribe.chunk_queue s WHERE s.job_id = q.job_id"
            + " AND s.state <> 'waiting') AND NOT EXISTS (SELECT 1 FROM transcribe.cancelled_jobs c"
            + " WHERE c.job_id = q.job_id)" + FAIR_ORDER;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final TranscribeConsumers consumers;
    private final EventCodec codec = new EventCodec();

    public Dispatcher(DatabaseClient db, TransactionalOperator tx, OutboxWriter outbox, TranscribeConsumers consumers) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.consumers = consumers;
    }

    /** One round: every free consumer gets its next chunk; returns how many were dealt out. */
    public int release() {
        int capacity = consumers.count();
        Integer released = tx.transactional(db.sql("SELECT pg_advisory_xact_lock(:lock)")
                        .bind("lock", LOCK)
                        .then()
                        .then(db.sql(SETTLE).then())
                        .then(busySlots(capacity))
                        .flatMap(busy -> Flux.fromStream(
                                        IntStream.range(0, capacity).boxed())
                                .filter(slot -> !busy.contains(slot))
                                .concatMap(this::releaseInto)
                                .count())
                        .flatMap(count -> tellQueuePositions().thenReturn(count.intValue())))
                .block();
        return released == null ? 0 : released;
    }

    /** The consumers (slots) that have a chunk in flight now. */
    private Mono<Set<Integer>> busySlots(int capacity) {
        return db.sql("SELECT partition_no FROM transcribe.chunk_queue WHERE state = 'released'")
                .map(row -> row.get("partition_no", Integer.class))
                .all()
                .map(partition -> capacity == 0 ? 0 : Math.floorMod(partition, capacity))
                .collect(HashSet::new, Set::add);
    }

    /** The next chunk in the fair order, put on the slot's partition; empty when none waits. */
    private Mono<ChunkReady> releaseInto(int slot) {
        return db.sql(NEXT)
                .map(this::chunk)
                .one()
                .flatMap(chunk -> firstOfItsJob(chunk.jobId())
                        .flatMap(first -> db.sql("UPDATE transcribe.chunk_queue SET state = 'released',"
                                        + " partition_no = :slot, released_at = now() WHERE job_id = :job"
                                        + " AND chunk_index = :index")
                                .bind("slot", slot)
                                .bind("job", chunk.jobId())
                                .bind("index", chunk.chunkIndex())
                                .then()
                                .then(outbox.append(chunk, Topics.AUDIO_CHUNKS, slot))
                                .then(
                                        first
                                                ? outbox.append(StageStarted.of(
                                                                chunk.jobId(), chunk.nodeId(), TranscribeStage.STAGE))
                                                        .then(db.sql(
                                                                        "DELETE FROM transcribe.queue_positions WHERE job_id = :job")
                                                                .bind("job", chunk.jobId())
                                                                .then())
                                                : Mono.empty()))
                        .doOnSuccess(done -> log.debug(
                                "Job {} chunk {} to consumer {}", chunk.jobId(), chunk.chunkIndex() + 1, slot))
                        .thenReturn(chunk));
    }

    private Mono<Boolean> firstOfItsJob(UUID job) {
        return db.sql("SELECT count(*) FROM transcribe.chunk_queue WHERE job_id = :job AND state <> 'waiting'")
                .bind("job", job)
                .map(row -> row.get(0, Long.class) == 0)
                .one();
    }

    /** Jobs still waiting for their first chunk are told how far back they are, when that changed. */
    private Mono<Void> tellQueuePositions() {
        return db.sql(WAITING_JOBS)
                .map(row -> new Waiting(row.get("job_id", UUID.class), row.get("node_id", Long.class)))
                .all()
                .collectList()
                .flatMap(jobs -> told().flatMapMany(known -> Flux.range(0, jobs.size())
                                .filter(i -> !Integer.valueOf(i + 1)
                                        .equals(known.get(jobs.get(i).jobId())))
                                .concatMap(i -> tell(jobs.get(i), i + 1)))
                        .then());
    }

    private Mono<Map<UUID, Integer>> told() {
        return db.sql("SELECT job_id, position FROM transcribe.queue_positions")
                .map(row -> Map.entry(row.get("job_id", UUID.class), row.get("position", Integer.class)))
                .all()
                .collect(HashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
    }

    private Mono<Void> tell(Waiting job, int position) {
        return db.sql("INSERT INTO transcribe.queue_positions (job_id, position) VALUES (:job, :position)"
                        + " ON CONFLICT (job_id) DO UPDATE SET position = :position")
                .bind("job", job.jobId())
                .bind("position", position)
                .then()
                .then(outbox.append(JobQueued.of(job.jobId(), job.nodeId(), position)));
    }

    private record Waiting(UUID jobId, long nodeId) {}

    private ChunkReady chunk(Readable row) {
        return (ChunkReady) codec.decode("ChunkReady", row.get("event", byte[].class));
    }
}
