package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.storage.Storage;
import hark.schemas.AudioUploaded;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.schemas.TranscriptionCancelled;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import hark.upload.retention.AudioRetention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Cancel, retry after a cancel or a replay, reprocess, and the audio retention, as the upload service does them. */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TranscriptionControlTest extends StageTest {

    @Autowired
    WebTestClient web;

    @Autowired
    DatabaseClient db;

    @Autowired
    Storage files;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("owner")))
                .build();
    }

    @Test
    void theOwnerCancelsARunningJobAndMayThenRetryIt() {
        Map<?, ?> node = uploadClip("cancel.wav");
        long id = id(node);
        UUID job = job(node);
        web.delete()
                .uri("/api/nodes/{id}/transcription", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("stranger")))
                .exchange()
                .expectStatus()
                .isForbidden();

        web.delete()
                .uri("/api/nodes/{id}/transcription", id)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.transcription_status")
                .isEqualTo("cancelled")
                .jsonPath("$.content")
                .isEqualTo("[Voice note – transcription cancelled]");

        TranscriptionCancelled cancelled = probe.await(
                        Topics.JOB_PROGRESS,
                        TranscriptionCancelled.class,
                        e -> e.jobId().equals(job),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(cancelled.nodeId()).isEqualTo(id);
        assertThat(cancelled.cancelledBy()).isEqualTo("owner");
        web.delete()
                .uri("/api/nodes/{id}/transcription", id)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("already ended"));
        // A transcript of the cancelled job that was on its way is not taken.
        probe.send(assembled(job, id, "too late", 1, "whisper-1"));

        UUID attempt = job(web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        assertThat(attempt).isNotEqualTo(job);
        probe.await(
                Topics.AUDIO_UPLOADED, AudioUploaded.class, e -> e.jobId().equals(attempt), 1, Duration.ofSeconds(30));
        assertThat(content(id)).isEqualTo("[Voice note – transcription pending]");
    }

    @Test
    void aFailedJobPutBackToWorkByAReplayDeliversItsTranscriptToTheNode() {
        Map<?, ?> node = failedUpload("replayed.wav");
        long id = id(node);
        UUID job = job(node);

        probe.send(DeadLetterReplayed.of(job, id, "audio.chunks.dlt", 0, 7));
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(state(id)));
        probe.send(assembled(job, id, "replayed to the end", 1, "whisper-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> content(id).equals("replayed to the end"));
        assertThat(job(node(id))).isEqualTo(job);
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .exchange()
                .expectStatus()
                .isEqualTo(409);
    }

    /**
     * The replay's event (job.progress) and the transcript (transcript.assembled) travel on
     * different topics, so the node may read the transcript first: it must not be dropped.
     */
    @Test
    void aReplayedJobsTranscriptReadBeforeTheReplayItselfIsStillTaken() {
        Map<?, ?> node = failedUpload("overtaken.wav");
        long id = id(node);
        UUID job = job(node);

        probe.send(assembled(job, id, "replayed, read early", 1, "whisper-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> content(id).equals("replayed, read early"));
        assertThat(state(id)).isEqualTo("completed");

        probe.send(DeadLetterReplayed.of(job, id, "audio.chunks.dlt", 0, 8));
        awaitSettled();
        assertThat(state(id)).isEqualTo("completed");
    }

    @Test
    void anAdminReprocessesStoredRecordingsAsNewJobsAndEachNodeKeepsItsTextUntilThen() {
        Map<?, ?> finished = uploadClip("finished.wav");
        long done = id(finished);
        probe.send(assembled(job(finished), done, "the old transcript", 1, "sphinx"));
        await().atMost(Duration.ofSeconds(30)).until(() -> content(done).equals("the old transcript"));
        Map<?, ?> running = uploadClip("running.wav");

        web.post()
                .uri("/api/admin/reprocess")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("all", true))
                .exchange()
                .expectStatus()
                .isForbidden();
        web.post()
                .uri("/api/admin/reprocess")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("all", true, "since", "2026-01-01"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        web.post()
                .uri("/api/admin/reprocess")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("since", "last tuesday"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("2026-11-01"));

        Map<?, ?> summary = web.post()
                .uri("/api/admin/reprocess")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("all", true))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();

        assertThat((Integer) summary.get("requested")).isGreaterThanOrEqualTo(1);
        assertThat((Integer) summary.get("skipped_running")).isGreaterThanOrEqualTo(1);
        Map<?, ?> reprocessed = node(done);
        UUID newJob = job(reprocessed);
        assertThat(newJob).isNotEqualTo(job(finished));
        assertThat(reprocessed.get("content")).isEqualTo("the old transcript");
        AudioUploaded request = probe.await(
                        Topics.AUDIO_UPLOADED,
                        AudioUploaded.class,
                        e -> e.jobId().equals(newJob),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(request.nodeId()).isEqualTo(done);
        assertThat(job(node(id(running)))).as("a running job is left alone").isEqualTo(job(running));

        probe.send(assembled(newJob, done, "the new transcript", 1, "whisper-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> content(done).equals("the new transcript"));
    }

    @Test
    void recordingsPastTheAudioRetentionAreRemovedOnceTheirJobHasEnded() {
        Map<?, ?> ended = uploadClip("old.wav");
        long id = id(ended);
        probe.send(assembled(job(ended), id, "kept text", 1, "sphinx"));
        await().atMost(Duration.ofSeconds(30)).until(() -> content(id).equals("kept text"));
        Path original = storage.resolve(audioPath(id));
        Map<?, ?> running = uploadClip("busy.wav");
        Path busy = storage.resolve(audioPath(id(running)));

        int removed = new AudioRetention(db, files, Duration.ZERO).sweep();

        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(original).doesNotExist();
        assertThat(busy).as("a running job's recording stays").exists();
        web.get().uri("/api/nodes/{id}/audio", id).exchange().expectStatus().isEqualTo(410);
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", id)
                .exchange()
                .expectStatus()
                .isEqualTo(410);
        assertThat(content(id)).isEqualTo("kept text");
        assertThat(new AudioRetention(db, files, null).sweep())
                .as("kept for good when no retention is set")
                .isZero();
    }

    /** An upload whose job the node has seen fail. */
    private Map<?, ?> failedUpload(String name) {
        Map<?, ?> node = uploadClip(name);
        probe.send(StageFailed.of(job(node), id(node), "transcribe", "The transcription API is down", false));
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(state(id(node))));
        return node;
    }

    private Map<?, ?> uploadClip(String name) {
        Path clip = TestAudio.toneWav(storage.resolve(name), 1, 16_000);
        return Uploads.upload(web, Uploads.part(name, new FileSystemResource(clip)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private Map<?, ?> node(long id) {
        return web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private String content(long id) {
        return (String) node(id).get("content");
    }

    private String state(long id) {
        return db.sql("SELECT transcription_state FROM upload.nodes WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get(0, String.class))
                .one()
                .block();
    }

    private String audioPath(long id) {
        return db.sql("SELECT audio_path FROM upload.nodes WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get(0, String.class))
                .one()
                .block();
    }

    private static long id(Map<?, ?> node) {
        return ((Number) node.get("id")).longValue();
    }

    private static UUID job(Map<?, ?> node) {
        return UUID.fromString((String) node.get("transcription_task_id"));
    }

    private static String admin() {
        return TestTokens.bearer(TestTokens.admin("ops"));
    }
}
