package hark.platform.outbox;

import hark.platform.db.ServiceSchema;
import hark.platform.kafka.EventRecords;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a service's outbox to Kafka and deletes what the broker acked.
 *
 * <p>One drainer per outbox: each process relays on one thread of its own, woken when a
 * transaction commits an event ({@link #wake}) and by its poll, and of several processes of one
 * service only the holder of the outbox's advisory lock relays in a round. So events go out in the
 * order they became visible (committed), oldest row first among those seen together, and one
 * key's events, each written after the last committed, keep their order. Nothing is held on the
 * outbox's rows while the broker answers: rows are read, sent and awaited outside any transaction,
 * then deleted; writers never wait for Kafka. A crash between the send and the delete only means
 * the events are sent again, which consumers ignore.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    /** First half of the advisory lock's key, the same for every outbox; the second is the schema's. */
    private static final int LOCK_CLASS = 0x4f555442;

    private final DatabaseClient db;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ServiceSchema schema;
    private final Duration pollInterval;
    private final String select;
    private final String delete;
    private final AtomicBoolean woken = new AtomicBoolean();
    /**
     * The relay's thread while it runs; a thread that finds itself replaced ends after its round.
     * A thread of its own rather than a shared scheduler: a single thread is what makes this
     * process's drainer one, send() may block it for topic metadata without holding up others, and
     * waking it is an unpark, which never blocks the committing thread (an event loop, often),
     * where handing a task to an executor's queue takes a lock.
     */
    private volatile Thread thread;
    /** When the current run of failed rounds began; only the relay's own thread touches it. */
    private Instant failingSince;

    public OutboxRelay(
            DatabaseClient db, KafkaTemplate<String, byte[]> kafka, ServiceSchema schema, Duration pollInterval) {
        this.db = db;
        this.kafka = kafka;
        this.schema = schema;
        this.pollInterval = pollInterval;
        this.select = "SELECT id, topic, partition_no, message_key, event_type, payload FROM " + schema.table("outbox")
                + " ORDER BY id LIMIT " + BATCH;
        this.delete = "DELETE FROM " + schema.table("outbox") + " WHERE id = ANY($1)";
    }

    public ServiceSchema schema() {
        return schema;
    }

    /** Asks for a round soon, on the relay's thread; many wakes before it runs make one round. */
    public void wake() {
        woken.set(true);
        LockSupport.unpark(thread);
    }

    /** Publishes every pending event this process may relay; returns how many were sent. */
    int drain() {
        int total = 0;
        int sent;
        do {
            sent = db.inConnection(this::round).blockOptional().orElse(0);
            total += sent;
        } while (sent == BATCH);
        return total;
    }

    /**
     * One batch, on one connection that holds the outbox's advisory lock: another process's relay
     * skips the round rather than sending the same rows beside this one. The lock is a session's,
     * not a transaction's: no writer ever asks for it.
     */
    private Mono<Integer> round(Connection connection) {
        return Mono.usingWhen(
                first(
                        connection,
                        "SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", hashtext('" + schema.name() + "'))",
                        row -> row.get(0, Boolean.class)),
                locked -> locked ? relayBatch(connection) : Mono.just(0),
                locked -> unlock(connection, locked),
                (locked, failure) -> unlock(connection, locked),
                locked -> unlock(connection, locked));
    }

    private Mono<Integer> relayBatch(Connection connection) {
        return rows(
                        connection,
                        select,
                        row -> new Pending(
                                row.get("id", Long.class),
                                EventRecords.record(
                                        row.get("topic", String.class),
                                        row.get("partition_no", Integer.class),
                                        row.get("message_key", String.class),
                                        row.get("event_type", String.class),
                                        row.get("payload", byte[].class))))
                .collectList()
                // send() can block for topic metadata: never on a database event loop, nor chained on
                // a previous send's future (the producer's network thread, the one that fetches it).
                .publishOn(Schedulers.boundedElastic())
                .map(this::send)
                .flatMap(ids -> ids.length == 0
                        ? Mono.just(0)
                        : Flux.from(connection
                                        .createStatement(delete)
                                        .bind(0, ids)
                                        .execute())
                                .flatMap(result -> result.getRowsUpdated())
                                .then(Mono.just(ids.length)));
    }

    /** Sends the batch in order (the idempotent producer keeps it per partition), then awaits every ack. */
    private Long[] send(List<Pending> batch) {
        List<CompletableFuture<?>> acks = batch.stream()
                .<CompletableFuture<?>>map(p -> kafka.send(p.record()))
                .toList();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        return batch.stream().map(Pending::id).toArray(Long[]::new);
    }

    private Mono<Void> unlock(Connection connection, boolean locked) {
        return locked
                ? first(
                                connection,
                                "SELECT pg_advisory_unlock(" + LOCK_CLASS + ", hashtext('" + schema.name() + "'))",
                                row -> row.get(0, Boolean.class))
                        .then()
                : Mono.empty();
    }

    private static <T> Flux<T> rows(Connection connection, String sql, Function<Readable, T> mapper) {
        return Flux.from(connection.createStatement(sql).execute()).flatMap(result -> result.map(mapper));
    }

    private static <T> Mono<T> first(Connection connection, String sql, Function<Readable, T> mapper) {
        return rows(connection, sql, mapper).single();
    }

    private record Pending(long id, ProducerRecord<String, byte[]> record) {}

    private void relayUntilStopped() {
        while (thread == Thread.currentThread()) {
            drainQuietly();
            if (!woken.getAndSet(false)) {
                LockSupport.parkNanos(pollInterval.toNanos());
            }
        }
    }

    private void drainQuietly() {
        try {
            drain();
            if (failingSince != null) {
                log.info("Outbox {} relayed again after an outage since {}", schema.name(), failingSince);
                failingSince = null;
            }
        } catch (RuntimeException e) {
            // Kafka or the database is away; the events wait in the table until the next round.
            // Said once per outage: every round (ten a second) would bury the rest of the log.
            if (failingSince == null) {
                failingSince = Instant.now();
                log.warn(
                        "Outbox {} not relayed yet, retrying every {} ms: {}",
                        schema.name(),
                        pollInterval.toMillis(),
                        e.getMessage());
            } else {
                log.debug("Outbox {} still not relayed: {}", schema.name(), e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        Thread relay = new Thread(this::relayUntilStopped, "outbox-relay-" + schema.name());
        relay.setDaemon(true);
        thread = relay;
        relay.start();
    }

    /** Lets the round under way finish (its events are then deleted, not sent again), for up to 10 s. */
    @Override
    public void stop() {
        Thread relay = thread;
        thread = null;
        if (relay != null) {
            LockSupport.unpark(relay);
            try {
                relay.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Stop before the Kafka producer and the connection pool go away. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
