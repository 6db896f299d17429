package hark.status;

import static org.assertj.core.api.Assertions.assertThat;

import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.JobQueued;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.TranscriptionCancelled;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Feeds events to the real broker and reads the view back over HTTP, as the browser does. */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class StatusViewTest extends StageTest {

    private static final AtomicLong NODES = new AtomicLong(100);

    @Autowired
    WebTestClient web;

    StatusPoller statuses;

    // The view itself, as an admin sees it: ownership has its own tests (a job folded before its
    // upload has no owner yet, and only admins see it).
    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("operator")))
                .build();
        statuses = new StatusPoller(web);
    }

    @Test
    void progressRisesWithRealWorkAndReaches100OnlyAtCompletion() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();

        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        statuses.await(
                node,
                s -> s.get("status").equals("pending") && s.get("progress").equals(0));

        probe.send(StageStarted.of(job, node, "prep"));
        Map<String, Object> started = statuses.await(node, s -> s.get("status").equals("processing"));
        assertThat(started.get("started_at")).isNotNull();
        assertThat(started.get("task_info")).asString().contains("Preparing audio");

        probe.send(AudioPrepared.of(job, node, "work/x/prepared.mp3", "mp3", 3600, 57_600_000, true));
        statuses.await(node, s -> s.get("progress").equals(15));

        List<ChunkReady> chunks = List.of(
                ChunkReady.of(job, node, 0, 3, "c0", 0, 1200),
                ChunkReady.of(job, node, 1, 3, "c1", 1200, 2400),
                ChunkReady.of(job, node, 2, 3, "c2", 2400, 3600));
        chunks.forEach(probe::send);
        statuses.await(
                node, s -> s.get("progress").equals(20) && s.get("chunks_total").equals(3));

        // Chunks finish out of order, and one is delivered twice.
        probe.send(transcribed(chunks.get(2), "three", "sphinx", List.of()));
        statuses.await(
                node, s -> s.get("chunks_done").equals(1) && s.get("progress").equals(45));
        probe.send(transcribed(chunks.get(0), "one", "sphinx", List.of()));
        probe.send(transcribed(chunks.get(0), "one", "sphinx", List.of()));
        Map<String, Object> twoDone =
                statuses.await(node, s -> s.get("chunks_done").equals(2));
        assertThat(twoDone.get("progress")).isEqualTo(70);
        assertThat(twoDone.get("content")).isNull();

        probe.send(transcribed(chunks.get(1), "two", "sphinx", List.of()));
        probe.send(assembled(job, node, "one\n\ntwo\n\nthree", 3, "sphinx"));
        Map<String, Object> done = statuses.await(node, s -> s.get("status").equals("completed"));
        assertThat(done)
                .containsEntry("progress", 100)
                .containsEntry("content", "one\n\ntwo\n\nthree")
                .containsEntry("task_info", null);
        assertThat(done.get("completed_at")).isNotNull();

        // A late failure or a replayed chunk never moves a completed job.
        probe.send(StageFailed.of(job, node, "transcribe", "late", false));
        probe.send(transcribed(chunks.get(1), "two", "sphinx", List.of()));
        awaitSettled();
        assertThat(statuses.now(node))
                .containsEntry("status", "completed")
                .containsEntry("progress", 100)
                .containsEntry("error", null);
    }

    /** A job whose chunks wait for a transcribe consumer says so, and how far back it is, until it starts. */
    @Test
    void aQueuedJobShowsItsPlaceUntilItsFirstChunkStarts() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(ChunkReady.of(job, node, 0, 2, "c0", 0, 600));
        probe.send(JobQueued.of(job, node, 3));

        Map<String, Object> queued = statuses.await(node, s -> "queued".equals(s.get("stage")));
        assertThat(queued).containsEntry("status", "processing").containsEntry("queue_position", 3);
        assertThat(queued.get("task_info")).asString().contains("Waiting for a free transcriber: 2 ahead");
        probe.send(JobQueued.of(job, node, 1));
        assertThat(statuses.await(node, s -> Integer.valueOf(1).equals(s.get("queue_position")))
                        .get("task_info"))
                .asString()
                .contains("next in line");

        probe.send(StageStarted.of(job, node, "transcribe"));
        Map<String, Object> started = statuses.await(node, s -> "transcribe".equals(s.get("stage")));
        assertThat(started).containsEntry("queue_position", null);
        // A late word about the queue never takes the job back.
        probe.send(JobQueued.of(job, node, 2));
        awaitSettled();
        assertThat(statuses.now(node)).containsEntry("stage", "transcribe").containsEntry("queue_position", null);
    }

    @Test
    void aCompletionSeenBeforeTheUploadStillEndsCompleted() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();

        probe.send(assembled(job, node, "early bird", 1, "sphinx"));
        statuses.await(node, s -> s.get("status").equals("completed"));
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(StageStarted.of(job, node, "prep"));

        awaitSettled();
        assertThat(statuses.now(node)).containsEntry("status", "completed").containsEntry("content", "early bird");
    }

    @Test
    void aFailureShowsItsReason() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();

        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".mp3", "audio/mpeg", 10));
        probe.send(StageFailed.of(job, node, "prep", "The file is not audio Hark can read.", true));

        Map<String, Object> failed = statuses.await(node, s -> s.get("status").equals("failed"));
        assertThat(failed)
                .containsEntry("error", "The file is not audio Hark can read.")
                .containsEntry("content", null)
                .containsEntry("task_info", null);
    }

    @Test
    void aCancelledJobSaysSoAndNothingLaterMovesIt() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        ChunkReady chunk = ChunkReady.of(job, node, 0, 1, "c0", 0, 10);
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(chunk);
        statuses.await(node, s -> s.get("status").equals("processing"));

        probe.send(TranscriptionCancelled.of(job, node, "local"));
        Map<String, Object> cancelled =
                statuses.await(node, s -> s.get("status").equals("cancelled"));
        assertThat(cancelled)
                .containsEntry("error", "Cancelled by local.")
                .containsEntry("task_info", null)
                .containsEntry("eta_seconds", null);
        assertThat(cancelled.get("completed_at")).isNotNull();

        // The chunk that was in flight, and anything after it, change nothing.
        probe.send(transcribed(chunk, "late", "sphinx", List.of()));
        probe.send(assembled(job, node, "late", 1, "sphinx"));
        probe.send(DeadLetterReplayed.of(job, node, "audio.chunks.dlt", 0, 3));
        awaitSettled();
        assertThat(statuses.now(node)).containsEntry("status", "cancelled").containsEntry("content", null);
        web.get().uri("/api/nodes?status=cancelled").exchange().expectStatus().isOk();
    }

    @Test
    void aReplayReopensAFailedJobWhichThenCompletesOrFailsAgain() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        ChunkReady chunk = ChunkReady.of(job, node, 0, 1, "c0", 0, 10);
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(chunk);
        probe.send(StageFailed.of(job, node, "transcribe", "The API is down", false, "audio.chunks/0/1"));
        statuses.await(node, s -> s.get("status").equals("failed"));

        probe.send(DeadLetterReplayed.of(job, node, "audio.chunks.dlt", 0, 4));
        Map<String, Object> reopened = statuses.await(node, s -> s.get("status").equals("processing"));
        assertThat(reopened).containsEntry("error", null).containsEntry("completed_at", null);

        // The replayed record fails again: a new failure, shown as such.
        probe.send(StageFailed.of(job, node, "transcribe", "Still down", false, "audio.chunks/0/9"));
        assertThat(statuses.await(node, s -> s.get("status").equals("failed"))).containsEntry("error", "Still down");

        probe.send(DeadLetterReplayed.of(job, node, "audio.chunks.dlt", 0, 5));
        statuses.await(node, s -> s.get("status").equals("processing"));
        probe.send(transcribed(chunk, "at last", "sphinx", List.of()));
        probe.send(assembled(job, node, "at last", 1, "sphinx"));
        assertThat(statuses.await(node, s -> s.get("status").equals("completed")))
                .containsEntry("content", "at last");
    }

    /** The transcript (its own topic) may be read before the replay's event on job.progress. */
    @Test
    void aReplayedJobsTranscriptReadBeforeTheReplayItselfCompletesTheJob() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(ChunkReady.of(job, node, 0, 1, "c0", 0, 10));
        probe.send(StageFailed.of(job, node, "transcribe", "The API is down", false, "audio.chunks/0/1"));
        statuses.await(node, s -> s.get("status").equals("failed"));

        probe.send(assembled(job, node, "read early", 1, "sphinx"));
        assertThat(statuses.await(node, s -> s.get("status").equals("completed")))
                .containsEntry("content", "read early")
                .containsEntry("error", null);

        probe.send(DeadLetterReplayed.of(job, node, "audio.chunks.dlt", 0, 6));
        awaitSettled();
        assertThat(statuses.now(node)).containsEntry("status", "completed");
    }

    @Test
    void anUnknownNodeIs404WithAMessage() {
        web.get()
                .uri("/api/nodes/{id}/transcription-status", 987654321L)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .exists();
    }
}
