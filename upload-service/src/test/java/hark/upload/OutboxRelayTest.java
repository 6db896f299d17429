package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AudioUploaded;
import hark.schemas.JobQueued;
import hark.schemas.Topics;
import hark.schemas.TranscriptionCancelled;
import hark.testing.StageTest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The outbox relay with the service's real producer, broker and database. */
@SpringBootTest(classes = UploadServiceApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxRelayTest extends StageTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    EventPublisher publisher;

    @Autowired
    @Qualifier("uploadOutboxRelay")
    OutboxRelay relay;

    /**
     * One batch with events for two topics new to the producer. The relay once sent the second from
     * the callback of the first, on the producer's network thread, which then could not fetch the
     * second topic's metadata: the event waited a minute and failed ("not present in metadata").
     * First in the class on purpose: the producer must not have sent to either topic yet.
     */
    @Test
    @Order(1)
    void aBatchForTopicsNewToTheProducerIsRelayedPromptly() {
        var outbox = new OutboxWriter(db, publisher, relay);
        UUID job = UUID.randomUUID();
        AudioUploaded uploaded = AudioUploaded.of(job, 41, "local", "originals/x.wav", "audio/wav", 10);
        TranscriptionCancelled cancelled = TranscriptionCancelled.of(job, 41, "local");

        tx.transactional(outbox.append(uploaded).then(outbox.append(cancelled))).block();

        // Well under the producer's 60 s metadata wait, so the old stall cannot pass.
        probe.await(Topics.AUDIO_UPLOADED, AudioUploaded.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30));
        probe.await(
                Topics.JOB_PROGRESS,
                TranscriptionCancelled.class,
                e -> e.jobId().equals(job),
                1,
                Duration.ofSeconds(30));
    }

    /**
     * Eight writers commit 200 events for four jobs at once, each event numbered by a counter the
     * writer moves in the same transaction (as a job's state moves with its events). On the topic,
     * each job's events must arrive numbered 1, 2, 3, ... with none missing, doubled or swapped.
     */
    @Test
    void oneKeysEventsKeepTheirCommitOrderAcrossManyConcurrentWriters() throws Exception {
        var outbox = new OutboxWriter(db, publisher, relay);
        List<UUID> jobs = IntStream.range(0, 4).mapToObj(i -> UUID.randomUUID()).toList();
        db.sql("CREATE TABLE IF NOT EXISTS public.relay_order (job uuid PRIMARY KEY, n int NOT NULL)")
                .then()
                .block();
        for (UUID job : jobs) {
            db.sql("INSERT INTO public.relay_order VALUES (:job, 0)")
                    .bind("job", job)
                    .then()
                    .block();
        }
        int writers = 8;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        UUID job = jobs.get((writer + i) % jobs.size());
                        tx.transactional(db.sql("UPDATE public.relay_order SET n = n + 1 WHERE job = :job RETURNING n")
                                        .bind("job", job)
                                        .map(row -> row.get(0, Integer.class))
                                        .one()
                                        .flatMap(n -> outbox.append(JobQueued.of(job, 42, n))))
                                .block();
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        int perJob = writers * perWriter / jobs.size();
        for (UUID job : jobs) {
            List<Integer> positions = probe
                    .await(
                            Topics.JOB_PROGRESS,
                            JobQueued.class,
                            e -> e.jobId().equals(job),
                            perJob,
                            Duration.ofSeconds(60))
                    .stream()
                    .map(JobQueued::position)
                    .toList();
            assertThat(positions)
                    .as("job %s", job)
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, perJob).boxed().toList());
        }
    }

    /**
     * While the broker does not answer, the relay waits for it holding nothing a writer needs: no
     * open transaction, no lock on the waiting rows, and other writers commit meanwhile. When the
     * broker is back, every event goes out.
     */
    @Test
    void aBrokerOutageHoldsNoLocksOnTheOutbox() throws Exception {
        var outbox = new OutboxWriter(db, publisher, relay);
        UUID before = UUID.randomUUID();
        UUID during = UUID.randomUUID();
        relay.stop();
        CountDownLatch sending = new CountDownLatch(1);
        var unreachable = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "localhost:" + closedPort(),
                        // How long a send waits for the missing broker's metadata: the outage's length here.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        10_000),
                new StringSerializer(),
                new ByteArraySerializer());
        var stuck = new OutboxRelay(
                db,
                new KafkaTemplate<>(unreachable) {
                    @Override
                    public CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
                        sending.countDown();
                        return super.send(record);
                    }
                },
                UploadServiceConfiguration.SCHEMA,
                Duration.ofHours(1));
        try {
            outbox.append(TranscriptionCancelled.of(before, 43, "local")).block();
            stuck.start();
            assertThat(sending.await(30, TimeUnit.SECONDS))
                    .as("the relay is sending")
                    .isTrue();

            assertThat(db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    + " AND state LIKE 'idle in transaction%'")
                            .map(row -> row.get(0, Long.class))
                            .one()
                            .block())
                    .as("transactions left open")
                    .isZero();
            // Every waiting row can be locked at once by someone else: the relay locks none of them.
            assertThat(tx.transactional(db.sql("SELECT id FROM upload.outbox FOR UPDATE NOWAIT")
                                    .map(row -> row.get(0, Long.class))
                                    .all()
                                    .collectList())
                            .block(Duration.ofSeconds(5)))
                    .isNotEmpty();
            outbox.append(TranscriptionCancelled.of(during, 43, "local")).block(Duration.ofSeconds(5));
        } finally {
            stuck.stop();
            unreachable.destroy();
            relay.start();
        }

        for (UUID job : List.of(before, during)) {
            probe.await(
                    Topics.JOB_PROGRESS,
                    TranscriptionCancelled.class,
                    e -> e.jobId().equals(job),
                    1,
                    Duration.ofSeconds(60));
        }
    }

    /** A port nothing listens on. */
    private static int closedPort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
