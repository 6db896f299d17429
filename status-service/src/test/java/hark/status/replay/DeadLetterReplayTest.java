package hark.status.replay;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.kafka.EventRecords;
import hark.platform.kafka.StageFailureRecoverer;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.EventCodec;
import hark.schemas.EventType;
import hark.schemas.RecordingErased;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.status.StatusPoller;
import hark.status.StatusServiceApplication;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code POST /api/admin/replay} against a real broker: dead letters go back where they failed, once. */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DeadLetterReplayTest extends StageTest {

    private static final String DEAD_CHUNKS = Topics.deadLetter(Topics.AUDIO_CHUNKS);

    @Autowired
    WebTestClient web;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    EventCodec codec;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("operator")))
                .build();
    }

    @Test
    void aDeadLetteredChunkGoesBackToItsPartitionAndItsFailedJobRunsAgain() throws Exception {
        long node = 9001;
        UUID job = UUID.randomUUID();
        ChunkReady chunk = ChunkReady.of(job, node, 1, 2, "work/" + job + "/chunk-1.mp3", 10, 20);
        probe.send(AudioUploaded.of(job, node, "operator", "originals/x.wav", "audio/wav", 10));
        probe.send(StageFailed.of(job, node, "transcribe", "The transcription API is down", false, "audio.chunks/4/0"));
        StatusPoller statuses = new StatusPoller(web);
        statuses.await(node, s -> s.get("status").equals("failed"));
        deadLetter(chunk, 4);
        deadLetter(ChunkReady.of(UUID.randomUUID(), 9002, 0, 1, "elsewhere", 0, 1), 4);

        ReplaySummary summary = replay(Map.of("topic", DEAD_CHUNKS, "job_id", job.toString()));

        assertThat(summary.replayed()).isEqualTo(1);
        assertThat(summary.sourceTopic()).isEqualTo(Topics.AUDIO_CHUNKS);
        assertThat(summary.jobs()).containsExactly(job);
        ConsumerRecord<String, byte[]> back = probe.awaitRecords(
                        Topics.AUDIO_CHUNKS, r -> job.toString().equals(r.key()), 1, Duration.ofSeconds(30))
                .get(0);
        assertThat(back.partition()).isEqualTo(4);
        assertThat(EventRecords.decode(codec, back)).isEqualTo(chunk);
        assertThat(back.headers().lastHeader(StageFailureRecoverer.REASON_HEADER))
                .isNull();
        probe.await(
                Topics.JOB_PROGRESS, DeadLetterReplayed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30));
        assertThat(statuses.await(node, s -> s.get("status").equals("processing")))
                .containsEntry("error", null);

        // Once is enough: the same letter is not sent again; the other node's waits for its own replay.
        ReplaySummary again = replay(Map.of("topic", DEAD_CHUNKS, "node_id", node));
        assertThat(again.replayed()).isZero();
        assertThat(again.alreadyReplayed()).isEqualTo(1);
        assertThat(replay(Map.of("topic", DEAD_CHUNKS, "node_id", 9002)).replayed())
                .isEqualTo(1);
    }

    @Test
    void aDeadLetterOfAnErasedRecordingIsLeftAloneAndTheRecordingStaysGone() throws Exception {
        long node = 9003;
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, node, "operator", "originals/e.wav", "audio/wav", 10));
        probe.send(StageFailed.of(job, node, "transcribe", "The transcription API is down", false, "audio.chunks/2/0"));
        deadLetter(ChunkReady.of(job, node, 0, 1, "work/" + job + "/chunk-0.mp3", 0, 10), 2);
        probe.send(RecordingErased.of(job, node, "originals/e.wav", "operator"));
        awaitSettled();
        web.get()
                .uri("/api/nodes/{id}/transcription-status", node)
                .exchange()
                .expectStatus()
                .isNotFound();

        ReplaySummary summary = replay(Map.of("topic", DEAD_CHUNKS, "node_id", node));

        assertThat(summary.replayed()).isZero();
        assertThat(summary.erased()).isEqualTo(1);
        awaitSettled();
        assertThat(probe.all(
                        Topics.AUDIO_CHUNKS, ChunkReady.class, e -> e.jobId().equals(job)))
                .isEmpty();
        assertThat(probe.all(
                        Topics.JOB_PROGRESS,
                        DeadLetterReplayed.class,
                        e -> e.jobId().equals(job)))
                .isEmpty();
        web.get()
                .uri("/api/nodes/{id}/transcription-status", node)
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void onlyAnAdminMayReplayAndOnlyADeadLetterTopic() {
        web.post()
                .uri("/api/admin/replay")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", Topics.AUDIO_CHUNKS))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains(DEAD_CHUNKS));
        web.post()
                .uri("/api/admin/replay")
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("someone")))
                .bodyValue(Map.of("topic", DEAD_CHUNKS))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    /** What the stage's error handler leaves: the record on {@code <topic>.dlt}, same partition, with the reason. */
    private void deadLetter(ChunkReady chunk, int partition) throws Exception {
        var record = EventRecords.record(
                DEAD_CHUNKS,
                partition,
                chunk.jobId().toString(),
                EventType.of(chunk).logicalName(),
                codec.encode(chunk));
        record.headers().add(StageFailureRecoverer.STAGE_HEADER, "transcribe".getBytes(StandardCharsets.UTF_8));
        record.headers().add(StageFailureRecoverer.REASON_HEADER, "down".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get();
    }

    private ReplaySummary replay(Map<String, Object> body) {
        return web.post()
                .uri("/api/admin/replay")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(ReplaySummary.class)
                .returnResult()
                .getResponseBody();
    }
}
