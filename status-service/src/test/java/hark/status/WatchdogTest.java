package hark.status;

import static org.assertj.core.api.Assertions.assertThat;

import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.EventIds;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.status.watchdog.Watchdog;
import hark.testing.StageTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Stuck jobs are caught: a one-minute stall time and a one-hour limit. Events carry the times they
 * happened, so a test sets a job's past instead of waiting it out. The tests look themselves, once
 * the view holds all of a job's events: a periodic look could fall between two of them, and a job
 * that has only its upload of 100 s ago folded is, at that moment, truly stalled.
 */
@SpringBootTest(
        classes = StatusServiceApplication.class,
        properties = {"hark.status.stall-after=1m", "hark.status.time-limit=1h", "hark.status.watchdog-interval=1h"})
class WatchdogTest extends StageTest {

    @Autowired
    Watchdog watchdog;

    @Test
    void aJobWithNoEventForTooLongFailsAsStalled() {
        UUID job = UUID.randomUUID();
        Instant now = Instant.now();
        probe.send(new AudioUploaded(
                EventIds.of(job, "uploaded"),
                job,
                3001,
                now.minusSeconds(180),
                HarkEvent.SCHEMA_VERSION,
                "local",
                "originals/x.wav",
                "audio/wav",
                10,
                null));
        probe.send(new StageStarted(
                EventIds.of(job, "started", "prep"),
                job,
                3001,
                now.minusSeconds(120),
                HarkEvent.SCHEMA_VERSION,
                "prep"));
        awaitSettled();

        assertThat(watchdog.check()).anyMatch(stuck -> stuck.jobId().equals(job));
        StageFailed failed = probe.await(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30))
                .get(0);
        assertThat(failed.stage()).isEqualTo("watchdog");
        assertThat(failed.reason()).startsWith("stalled");
        assertThat(failed.permanent()).isFalse();
    }

    @Test
    void aJobRunningPastTheTimeLimitFailsEvenWhileEventsStillArrive() {
        UUID job = UUID.randomUUID();
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        probe.send(new AudioUploaded(
                EventIds.of(job, "uploaded"),
                job,
                3002,
                twoHoursAgo,
                HarkEvent.SCHEMA_VERSION,
                "local",
                "originals/y.wav",
                "audio/wav",
                10,
                null));
        probe.send(new StageStarted(
                EventIds.of(job, "started", "prep"), job, 3002, twoHoursAgo, HarkEvent.SCHEMA_VERSION, "prep"));
        // A recent event: the job is not stalled, only too long (a 60 s recording allows no more than the hour).
        probe.send(AudioPrepared.of(job, 3002, "work/y/prepared.wav", "wav", 60, 1000, false));
        awaitSettled();

        assertThat(watchdog.check()).anyMatch(stuck -> stuck.jobId().equals(job) && stuck.overTime());
        StageFailed failed = probe.await(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30))
                .get(0);

        assertThat(failed.reason()).startsWith("time limit");
    }

    @Test
    void aJobThatKeepsMovingIsLeftAlone() {
        UUID job = UUID.randomUUID();
        // Uploaded 100 s ago, longer than the stall time, but never a minute without an event.
        Instant now = Instant.now();
        probe.send(new AudioUploaded(
                EventIds.of(job, "uploaded"),
                job,
                3003,
                now.minusSeconds(100),
                HarkEvent.SCHEMA_VERSION,
                "local",
                "originals/z.wav",
                "audio/wav",
                10,
                null));
        probe.send(new StageStarted(
                EventIds.of(job, "started", "prep"),
                job,
                3003,
                now.minusSeconds(50),
                HarkEvent.SCHEMA_VERSION,
                "prep"));
        probe.send(AudioPrepared.of(job, 3003, "work/z/prepared.wav", "wav", 60, 1000, false));
        awaitSettled();

        assertThat(watchdog.check()).noneMatch(stuck -> stuck.jobId().equals(job));
        awaitSettled();
        assertThat(probe.all(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job)))
                .isEmpty();
    }
}
