package hark.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.kafka.StageFailureRecoverer;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.schemas.TranscriptionCancelled;
import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import hark.testing.Reply;
import hark.testing.StageTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transcribe stage with the OpenAI engine, against a stand-in of the API: chunks of one job
 * transcribe side by side on several consumers, and every way a call can fail ends in a
 * {@code failed} job with its reason and a dead letter that says why.
 */
@SpringBootTest(
        classes = TranscribeServiceApplication.class,
        properties = {
            "hark.transcribe.concurrency=3",
            "hark.openai.model=whisper-1",
            "hark.openai.retry.attempts=2",
            "hark.openai.retry.initial-backoff=50ms",
            "hark.openai.retry.max-backoff=100ms",
            "hark.openai.circuit-breaker.minimum-calls=100",
            "hark.openai.circuit-breaker.window=100"
        })
class ApiTranscriptionTest extends StageTest {

    private static final String KEY = "sk-stage-test";
    private static final Duration LATENCY = Duration.ofSeconds(1);
    private static final FakeTranscriptionApi API = FakeTranscriptionApi.start(KEY);

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("hark.transcribe.engine", () -> "openai");
        registry.add("hark.openai.base-url", API::baseUrl);
        registry.add("hark.openai.api-key", () -> KEY);
    }

    @AfterEach
    void resetApi() {
        API.recover();
        API.reset();
    }

    @AfterAll
    static void stopApi() {
        API.close();
    }

    @Test
    void aJobsChunksTranscribeSideBySideEachExactlyOnce() throws IOException {
        API.withLatency(LATENCY);
        UUID job = UUID.randomUUID();
        int count = 6;
        List<ChunkReady> chunks = chunks(job, 21, count);

        chunks.forEach(probe::send);
        TranscriptAssembled assembled = probe.await(
                        Topics.TRANSCRIPT_ASSEMBLED,
                        TranscriptAssembled.class,
                        e -> e.jobId().equals(job),
                        1,
                        Duration.ofMinutes(1))
                .get(0);
        awaitSettled();

        List<RecordedRequest> requests = API.requests();
        assertThat(requests)
                .extracting(RecordedRequest::fileName)
                .containsExactlyInAnyOrder(
                        "chunk-000.mp3",
                        "chunk-001.mp3",
                        "chunk-002.mp3",
                        "chunk-003.mp3",
                        "chunk-004.mp3",
                        "chunk-005.mp3");
        assertThat(textOf(assembled).split("\n\n"))
                .containsExactly(
                        "heard chunk-000.mp3 (1000 bytes)",
                        "heard chunk-001.mp3 (1001 bytes)",
                        "heard chunk-002.mp3 (1002 bytes)",
                        "heard chunk-003.mp3 (1003 bytes)",
                        "heard chunk-004.mp3 (1004 bytes)",
                        "heard chunk-005.mp3 (1005 bytes)");
        // Three consumers, each call takes a second: three calls at a time (how much sooner that
        // ends is a matter for docs/benchmarks.md, not for a test on a shared machine).
        assertThat(API.peakConcurrency()).isEqualTo(3);
        assertThat(probe.all(
                        Topics.TRANSCRIPT_CHUNKS,
                        ChunkTranscribed.class,
                        e -> e.jobId().equals(job)))
                .hasSize(count)
                .allSatisfy(t -> assertThat(t.engine()).isEqualTo("openai"))
                // verbose_json timestamps are placed on the recording's timeline.
                .allSatisfy(t -> assertThat(textOf(t).segments())
                        .isNotEmpty()
                        .allSatisfy(s -> assertThat(s.startSeconds()).isGreaterThanOrEqualTo(t.chunkIndex() * 10.0)));
    }

    @Test
    void aRedeliveredChunkIsNotSentToTheEngineAgainNorAssembledTwice() throws IOException {
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = chunks(job, 24, 2);
        probe.send(chunks.get(0));
        probe.await(
                Topics.TRANSCRIPT_CHUNKS,
                ChunkTranscribed.class,
                e -> e.jobId().equals(job),
                1,
                Duration.ofSeconds(30));

        // Redelivered before and after its job is assembled, as a crash or a replay would.
        probe.send(chunks.get(0));
        probe.send(chunks.get(1));
        probe.await(
                Topics.TRANSCRIPT_ASSEMBLED,
                TranscriptAssembled.class,
                e -> e.jobId().equals(job),
                1,
                Duration.ofSeconds(30));
        chunks.forEach(probe::send);
        awaitSettled();

        // Each of the job's two chunks went to the engine once, and made one transcript.
        assertThat(API.requestCount()).isEqualTo(2);
        assertThat(probe.all(
                        Topics.TRANSCRIPT_CHUNKS,
                        ChunkTranscribed.class,
                        e -> e.jobId().equals(job)))
                .hasSize(2);
        assertThat(probe.all(
                        Topics.TRANSCRIPT_ASSEMBLED,
                        TranscriptAssembled.class,
                        e -> e.jobId().equals(job)))
                .hasSize(1);
    }

    @Test
    void aCancelledJobsChunksAreNotTranscribedAndItsFilesGo() throws IOException {
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = chunks(job, 26, 2);
        probe.send(TranscriptionCancelled.of(job, 26, "owner"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Files.exists(storage.resolve("work").resolve(job.toString())));

        chunks.forEach(probe::send);
        awaitSettled();

        // The stage read both chunks and sent neither to the engine.
        assertThat(API.requestCount()).isZero();
        assertThat(probe.all(
                        Topics.TRANSCRIPT_CHUNKS,
                        ChunkTranscribed.class,
                        e -> e.jobId().equals(job)))
                .isEmpty();
    }

    @Test
    void aRefusedKeyFailsTheJobAtOnceWithTheReasonAndADeadLetterThatSaysWhy() throws IOException {
        API.failAll(Reply.status(401, "Incorrect API key provided"));
        UUID job = UUID.randomUUID();
        ChunkReady chunk = chunks(job, 22, 1).get(0);

        probe.send(chunk);

        StageFailed failed = failure(job);
        assertThat(failed.stage()).isEqualTo("transcribe");
        assertThat(failed.reason()).contains("refused Hark's key").contains("Incorrect API key provided");
        assertThat(failed.permanent()).isFalse();
        assertThat(header(deadLetter(job), StageFailureRecoverer.REASON_HEADER)).isEqualTo(failed.reason());
        assertThat(API.requestCount()).isEqualTo(1);
        // Kept for a replay once the key is fixed.
        assertThat(storage.resolve(chunk.chunkPath())).exists();
    }

    @Test
    void anOutageLongerThanTheRetriesFailsTheJobAndKeepsTheChunkForAReplay() throws IOException {
        API.failAll(503);
        UUID job = UUID.randomUUID();
        ChunkReady chunk = chunks(job, 23, 1).get(0);

        probe.send(chunk);

        StageFailed failed = failure(job);
        assertThat(failed.reason()).contains("failed on all 2 tries").contains("HTTP 503");
        assertThat(header(deadLetter(job), StageFailureRecoverer.STAGE_HEADER)).isEqualTo("transcribe");
        // The engine's own two tries, and no more from the stage on top of them.
        assertThat(API.requestCount()).isEqualTo(2);
        assertThat(storage.resolve(chunk.chunkPath())).exists();
    }

    @Test
    void audioTheApiRejectsFailsForGoodWithoutRetries() throws IOException {
        API.enqueue(Reply.status(400, "Audio file might be corrupted or unsupported"));
        UUID job = UUID.randomUUID();

        probe.send(chunks(job, 24, 1).get(0));

        StageFailed failed = failure(job);
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).contains("rejected this audio").contains("corrupted or unsupported");
        assertThat(API.requestCount()).isEqualTo(1);
        assertThat(storage.resolve("work").resolve(job.toString())).doesNotExist();
    }

    @Test
    void aRateLimitWithRetryAfterIsWaitedOutAndTheChunkSucceeds() throws IOException {
        API.enqueue(Reply.tooManyRequests(Duration.ofSeconds(1)));
        UUID job = UUID.randomUUID();

        probe.send(chunks(job, 25, 1).get(0));

        probe.await(
                Topics.TRANSCRIPT_ASSEMBLED,
                TranscriptAssembled.class,
                e -> e.jobId().equals(job),
                1,
                Duration.ofSeconds(30));
        awaitSettled();
        assertThat(probe.all(
                        Topics.TRANSCRIPT_ASSEMBLED,
                        TranscriptAssembled.class,
                        e -> e.jobId().equals(job)))
                .singleElement()
                .satisfies(t -> assertThat(textOf(t)).startsWith("heard chunk-000.mp3"));
        assertThat(API.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    }

    /** Chunk files of distinct sizes, so that each request shows which chunk it carried. */
    private List<ChunkReady> chunks(UUID job, long node, int count) throws IOException {
        Path dir = Files.createDirectories(storage.resolve("work").resolve(job.toString()));
        List<ChunkReady> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("chunk-%03d.mp3", i);
            Files.write(dir.resolve(name), new byte[1000 + i]);
            chunks.add(ChunkReady.of(job, node, i, count, "work/" + job + "/" + name, i * 10.0, i * 10.0 + 10));
        }
        return chunks;
    }

    /** The job's failure, once the stage has done all it will (so counting calls after it is fair). */
    private StageFailed failure(UUID job) {
        StageFailed failed = probe.await(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30))
                .get(0);
        awaitSettled();
        return failed;
    }

    private ConsumerRecord<String, byte[]> deadLetter(UUID job) {
        return probe.awaitRecords(
                        Topics.deadLetter(Topics.AUDIO_CHUNKS),
                        r -> job.toString().equals(r.key()),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
