package hark.standalone.faults;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker, or the database, goes away while a job's chunks are at the transcription API, and
 * stays away while their results come back and must be published and stored; then it returns.
 * The job completes with every chunk exactly once: no stage gives up on the job for an outage.
 * One Hark serves both tests; each brings back what it stopped.
 */
@Timeout(120)
class InfrastructureRestartTest {

    /**
     * How long the outage lasts once the held chunks are let go: longer than a stage's retries
     * take to run out (1 + 2 + 4 s by default), so a stage that counted an outage as the job's
     * failure would fail it. The fault's length, not a wait for an outcome.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(10);

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
    void aJobCompletesWhenTheBrokerRestartsInTheMiddleOfIt() throws InterruptedException {
        rig.holdCalls();
        long node = rig.upload(rig.recording());
        rig.awaitHeldCalls(FaultRig.TRANSCRIBE_CONCURRENCY, JOB);

        rig.stopKafka();
        try {
            rig.releaseCalls();
            // The outage itself is what is tested: its length is how long Hark must wait it out.
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            rig.startKafka();
        }

        rig.assertCompletedWithEachChunkOnce(node, JOB);
    }

    @Test
    void aJobCompletesWhenPostgresRestartsInTheMiddleOfIt() throws InterruptedException {
        rig.holdCalls();
        long node = rig.upload(rig.recording());
        rig.awaitHeldCalls(FaultRig.TRANSCRIBE_CONCURRENCY, JOB);

        rig.stopPostgres();
        try {
            rig.releaseCalls();
            // The outage itself is what is tested: its length is how long Hark must wait it out.
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            rig.startPostgres();
        }

        rig.assertCompletedWithEachChunkOnce(node, JOB);
    }
}
