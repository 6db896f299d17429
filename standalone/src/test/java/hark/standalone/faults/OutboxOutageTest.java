package hark.standalone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload's node and its AudioUploaded event are committed together into the outbox, so an
 * upload needs the database but not Kafka: it is accepted while the broker is down, and the event
 * leaves the outbox when the broker is back, even if the process that took the upload is gone.
 * One rig serves both tests; each brings back what it stopped.
 */
@Timeout(120)
class OutboxOutageTest {

    private static final Duration JOB = Duration.ofSeconds(60);

    @TempDir
    static Path data;

    static FaultRig rig;

    @BeforeAll
    static void startHark() {
        rig = FaultRig.start(data);
        rig.startHark();
    }

    @AfterAll
    static void stopHark() {
        rig.close();
    }

    @Test
    void anUploadWhileKafkaIsDownIsAcceptedAndCompletesOnceTheBrokerIsBack() {
        Path recording = rig.recording();

        rig.stopKafka();
        long node;
        try {
            node = rig.upload(recording);
            // The event waits in the outbox for the broker.
            assertThat(rig.outboxRows("upload")).isEqualTo(1);
        } finally {
            rig.startKafka();
        }

        rig.assertCompletedWithEachChunkOnce(node, JOB);
        assertThat(rig.outboxRows("upload")).isZero();
    }

    @Test
    void anEventCommittedButNeverSentIsRelayedByTheNextProcess() {
        Path recording = rig.recording();

        rig.stopKafka();
        long node;
        try {
            node = rig.upload(recording);
            // The process goes away between the commit and any send: only the database has the event.
            rig.stopHark();
            assertThat(rig.outboxRows("upload")).isEqualTo(1);
        } finally {
            rig.startKafka();
        }

        rig.startHark();
        rig.assertCompletedWithEachChunkOnce(node, JOB);
        assertThat(rig.outboxRows("upload")).isZero();
    }
}
