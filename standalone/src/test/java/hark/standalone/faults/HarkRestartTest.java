package hark.standalone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run is stopped (its context closed, as Ctrl-C does) while a multi-chunk job has
 * chunks at the transcription API, and started again on the same data folder: the job finishes,
 * each chunk once in the transcript.
 */
@Timeout(120)
class HarkRestartTest {

    private static final Duration JOB = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void aJobInFlightWhenTheLocalRunStopsFinishesAfterItStartsAgain() {
        try (FaultRig rig = FaultRig.start(data)) {
            rig.startHark();
            rig.holdCalls();
            long node = rig.upload(rig.recording());
            rig.awaitHeldCalls(FaultRig.TRANSCRIBE_CONCURRENCY, JOB);
            assertThat(rig.status(node)).containsEntry("status", "processing");

            rig.stopHark();
            // Closing does not interrupt a call at the API: it waits out Spring's 30 s shutdown
            // phase for the busy consumers, then closes around them. Their calls end now, as a
            // real API's eventually would; whatever they might still publish must not show twice.
            rig.releaseCalls();
            rig.startHark();

            rig.assertCompletedWithEachChunkOnce(node, JOB);
        }
    }
}
