package hark.platform.inbox;

import hark.platform.db.ServiceSchema;
import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.HarkEvent;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a service's stages have done with their inputs. A stage asks {@link #skip} before it works
 * on an input and hands its outputs to {@link #finish}, which records the input as processed by
 * that stage and queues the outputs in the service's outbox in one transaction. So a redelivered
 * or replayed input that was already processed costs nothing (no second paid engine call), its
 * outputs are published once (the commit wakes the relay), and a cancelled job gets no further work.
 * Each stage names itself: what one stage applied says nothing of another's work.
 */
public class StageInbox {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final ProcessedEvents processed;
    private final String isCancelled;
    private final String cancel;

    public StageInbox(DatabaseClient db, TransactionalOperator tx, EventPublisher publisher, OutboxRelay relay) {
        ServiceSchema schema = relay.schema();
        if (!schema.inbox() || !schema.outbox()) {
            throw new IllegalArgumentException("A stage inbox needs the inbox and outbox tables of " + schema.name());
        }
        this.db = db;
        this.tx = tx;
        this.outbox = new OutboxWriter(db, publisher, relay);
        this.processed = new ProcessedEvents(db, schema);
        this.isCancelled = "SELECT count(*) FROM " + schema.table("cancelled_jobs") + " WHERE job_id = :job";
        this.cancel =
                "INSERT INTO " + schema.table("cancelled_jobs") + " (job_id) VALUES (:job) ON CONFLICT DO NOTHING";
    }

    /** True when the stage processed the input before or its job has been cancelled. */
    public boolean skip(String stage, HarkEvent input) {
        return Boolean.TRUE.equals(Mono.zip(
                        processed.seen(stage, input.eventId()),
                        exists(isCancelled, "job", input.jobId()),
                        (done, cancelled) -> done || cancelled)
                .block());
    }

    public boolean isCancelled(UUID jobId) {
        return Boolean.TRUE.equals(exists(isCancelled, "job", jobId).block());
    }

    /**
     * Records the input as processed and queues its outputs, unless another delivery of the same
     * input got there first or the job was cancelled while this one worked.
     */
    public void finish(String stage, HarkEvent input, List<? extends HarkEvent> outputs) {
        Mono<Void> work = exists(isCancelled, "job", input.jobId())
                .flatMap(
                        cancelled -> processed.firstTime(stage, input.eventId()).map(first -> first && !cancelled))
                .flatMap(publish -> publish
                        ? Flux.fromIterable(outputs).concatMap(outbox::append).then()
                        : Mono.empty());
        tx.transactional(work).block();
    }

    /** Remembers that the job was cancelled; idempotent. */
    public void cancel(UUID jobId) {
        db.sql(cancel).bind("job", jobId).then().block();
    }

    private Mono<Boolean> exists(String sql, String name, UUID value) {
        return db.sql(sql)
                .bind(name, value)
                .map(row -> row.get(0, Long.class) > 0)
                .one();
    }
}
