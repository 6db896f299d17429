package hark.status;

import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.EventIds;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.testing.StageTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Stuck jobs are caught: a short stall time and a one-hour limit, looked at twice a second. */
@SpringBootTest(classes = StatusServiceApplication.class, properties = {
        "hark.status.stall-after=3s", "hark.status.time-limit=1h", "hark.status.watchdog-interval=500ms"})
class WatchdogTest extends StageTest {

    @Test
    void aJobWithNoEventForTooLongFailsAsStalled() {
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, 3001, "local", "originals/x.wav", "audio/wav", 10));
        probe.send(StageStarted.of(job, 3001, "prep"));

        StageFailed failed = probe.await(Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1,
                Duration.ofSeconds(30)).get(0);

        assertThat(failed.stage()).isEqualTo("watchdog");
        assertThat(failed.reason()).startsWith("stalled");
        assertThat(failed.permanent()).isFalse();
    }

    @Test
    void aJobRunningPastTheTimeLimitFailsEvenWhileEventsStillArrive() {
        UUID job = UUID.randomUUID();
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        probe.send(new AudioUploaded(EventIds.of(job, "uploaded"), job, 3002, twoHoursAgo, HarkEvent.SCHEMA_VERSION,
                "local", "originals/y.wav", "audio/wav", 10));
        probe.send(new StageStarted(EventIds.of(job, "started", "prep"), job, 3002, twoHoursAgo,
                HarkEvent.SCHEMA_VERSION, "prep"));
        // A recent event: the job is not stalled, only too long (a 60 s recording allows no more than the hour).
        probe.send(AudioPrepared.of(job, 3002, "work/y/prepared.wav", "wav", 60, 1000, false));

        StageFailed failed = probe.await(Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1,
                Duration.ofSeconds(30)).get(0);

        assertThat(failed.reason()).startsWith("time limit");
    }

    @Test
    void aJobThatKeepsMovingIsLeftAlone() throws InterruptedException {
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, 3003, "local", "originals/z.wav", "audio/wav", 10));
        probe.send(StageStarted.of(job, 3003, "prep"));
        Thread.sleep(1500);
        probe.send(AudioPrepared.of(job, 3003, "work/z/prepared.wav", "wav", 60, 1000, false));
        Thread.sleep(1500);

        // Three seconds since the upload, but never three seconds without an event.
        assertThat(probe.awaitRecords(Topics.JOB_PROGRESS, r -> r.key().equals(job.toString()), 1,
                Duration.ofSeconds(5))).allSatisfy(r -> assertThat(new String(r.headers()
                .lastHeader("hark-event-type").value())).isNotEqualTo("StageFailed"));
    }
}
