package hark.platform.outbox;

import hark.platform.db.ServiceSchema;
import hark.platform.kafka.EventRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a service's outbox to Kafka in insertion order and deletes what the broker acked.
 * Rows are locked while they are sent, so several instances of a service can relay at once;
 * a crash before the delete only means the event is sent again, which consumers ignore.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration pollInterval;
    private final String select;
    private final String delete;
    private final String name;
    private ScheduledExecutorService executor;
    /** When the current run of failed rounds began; only the relay's own thread touches it. */
    private Instant failingSince;

    public OutboxRelay(DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, byte[]> kafka,
                       ServiceSchema schema, Duration pollInterval) {
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
        this.pollInterval = pollInterval;
        this.name = schema.name();
        this.select = "SELECT id, topic, partition_no, message_key, event_type, payload FROM "
                + schema.table("outbox") + " ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";
        this.delete = "DELETE FROM " + schema.table("outbox") + " WHERE id = ANY(:ids)";
    }

    /** Publishes every pending event; returns how many were sent. */
    public int drain() {
        int total = 0;
        int sent;
        do {
            sent = publishBatch().blockOptional().orElse(0);
            total += sent;
        } while (sent == BATCH);
        return total;
    }

    private Mono<Integer> publishBatch() {
        Mono<Integer> batch = db.sql(select)
                .map((row, meta) -> new Pending(row.get("id", Long.class), EventRecords.record(
                        row.get("topic", String.class), row.get("partition_no", Integer.class),
                        row.get("message_key", String.class), row.get("event_type", String.class),
                        row.get("payload", byte[].class))))
                .all()
                .collectList()
                // Sent from a thread of our own: send() can block for topic metadata, and chained on
                // the previous send's future it would run on the producer's network thread, the one
                // thread that fetches that metadata (seen: a minute's stall, then "not present in metadata").
                .publishOn(Schedulers.boundedElastic())
                .map(this::send)
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0)
                        : db.sql(delete).bind("ids", ids.toArray(Long[]::new)).then().thenReturn(ids.size()));
        return tx.transactional(batch);
    }

    /** Sends the batch in order and waits for the broker's acks; the ids of what was acked. */
    private List<Long> send(List<Pending> batch) {
        List<CompletableFuture<?>> acks = batch.stream()
                .<CompletableFuture<?>>map(p -> kafka.send(p.record())).toList();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        return batch.stream().map(Pending::id).toList();
    }

    private record Pending(long id, ProducerRecord<String, byte[]> record) {
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-relay-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::drainQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void drainQuietly() {
        try {
            drain();
            if (failingSince != null) {
                log.info("Outbox {} relayed again after an outage since {}", name, failingSince);
                failingSince = null;
            }
        } catch (RuntimeException e) {
            // Kafka or the database is away; the events wait in the table until the next round.
            // Said once per outage: every round (ten a second) would bury the rest of the log.
            if (failingSince == null) {
                failingSince = Instant.now();
                log.warn("Outbox {} not relayed yet, retrying every {} ms: {}", name, pollInterval.toMillis(),
                        e.getMessage());
            } else {
                log.debug("Outbox {} still not relayed: {}", name, e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** Stop before the Kafka producer and the connection pool go away. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
