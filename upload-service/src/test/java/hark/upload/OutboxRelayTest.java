package hark.upload;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AudioUploaded;
import hark.schemas.Topics;
import hark.schemas.TranscriptionCancelled;
import hark.testing.StageTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import java.time.Duration;
import java.util.UUID;

/**
 * The outbox relay with the service's real producer, broker and database. A class of its own:
 * its one test needs a producer that has not yet sent to either topic.
 */
@SpringBootTest(classes = UploadServiceApplication.class)
class OutboxRelayTest extends StageTest {

    @Autowired
    DatabaseClient db;
    @Autowired
    TransactionalOperator tx;
    @Autowired
    EventPublisher publisher;

    /**
     * One batch with events for two topics new to the producer. The relay once sent the second from
     * the callback of the first, on the producer's network thread, which then could not fetch the
     * second topic's metadata: the event waited a minute and failed ("not present in metadata").
     */
    @Test
    void aBatchForTopicsNewToTheProducerIsRelayedPromptly() {
        var outbox = new OutboxWriter(db, publisher, UploadServiceConfiguration.SCHEMA);
        UUID job = UUID.randomUUID();
        AudioUploaded uploaded = AudioUploaded.of(job, 41, "local", "originals/x.wav", "audio/wav", 10);
        TranscriptionCancelled cancelled = TranscriptionCancelled.of(job, 41, "local");

        tx.transactional(outbox.append(uploaded).then(outbox.append(cancelled))).block();

        // Well under the producer's 60 s metadata wait, so the old stall cannot pass.
        probe.await(Topics.AUDIO_UPLOADED, AudioUploaded.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30));
        probe.await(Topics.JOB_PROGRESS, TranscriptionCancelled.class, e -> e.jobId().equals(job), 1,
                Duration.ofSeconds(30));
    }
}
