package hark.transcribe;

import static org.assertj.core.api.Assertions.assertThat;

import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.testing.SpeechClip;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Feeds the transcribe and assemble stages on a real broker and database and reads their output. */
// The in-JVM engine, whatever else this machine has installed.
@SpringBootTest(classes = TranscribeServiceApplication.class, properties = "hark.transcribe.engine=sphinx")
class TranscribeStagesTest extends StageTest {

    @Test
    void aChunkOfRealSpeechBecomesItsWordsWithTimesOnTheRecordingsTimeline() throws IOException {
        UUID job = UUID.randomUUID();
        SpeechClip clip = SpeechClip.PRIMARY;
        Path dir = Files.createDirectories(storage.resolve("work").resolve(job.toString()));
        Path chunk = TestAudio.speech(clip.file(), dir);
        double offset = 1200;

        probe.send(ChunkReady.of(job, 9, 1, 2, "work/" + job + "/" + clip.file(), offset, offset + 5));

        ChunkTranscribed done = probe.await(
                        Topics.TRANSCRIPT_CHUNKS,
                        ChunkTranscribed.class,
                        e -> e.jobId().equals(job),
                        1,
                        Duration.ofMinutes(3))
                .get(0);
        assertThat(done.engine()).isEqualTo("sphinx");
        assertThat(done.chunkIndex()).isEqualTo(1);
        assertThat(textOf(done).text()).contains(clip.keyWords());
        assertThat(textOf(done).segments())
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.startSeconds()).isGreaterThanOrEqualTo(offset));
        // The engine's converted copy is gone; the chunk itself stays until the job is assembled.
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(chunk);
        }
    }

    @Test
    void chunksArrivingOutOfOrderAndTwiceAreAssembledInOrderExactlyOnce() {
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = List.of(
                ChunkReady.of(job, 5, 0, 3, "c0", 0, 10),
                ChunkReady.of(job, 5, 1, 3, "c1", 10, 20),
                ChunkReady.of(job, 5, 2, 3, "c2", 20, 30));

        probe.send(transcribed(chunks.get(2), "and the third", "sphinx", List.of()));
        probe.send(transcribed(chunks.get(0), "first words", "sphinx", List.of()));
        probe.send(transcribed(chunks.get(0), "first words", "sphinx", List.of()));
        probe.send(transcribed(chunks.get(1), "then the second", "sphinx", List.of()));
        probe.await(
                Topics.TRANSCRIPT_ASSEMBLED,
                TranscriptAssembled.class,
                e -> e.jobId().equals(job),
                1,
                Duration.ofSeconds(30));

        // Redelivered after assembly: still one transcript, once the stage has read everything.
        probe.send(transcribed(chunks.get(1), "then the second", "sphinx", List.of()));
        awaitSettled();
        assertThat(probe.all(
                        Topics.TRANSCRIPT_ASSEMBLED,
                        TranscriptAssembled.class,
                        e -> e.jobId().equals(job)))
                .singleElement()
                .satisfies(t -> {
                    assertThat(textOf(t)).isEqualTo("first words\n\nthen the second\n\nand the third");
                    assertThat(t.chunkCount()).isEqualTo(3);
                    assertThat(t.nodeId()).isEqualTo(5);
                });
    }

    @Test
    void aMissingChunkFileFailsTheJobWithAReason() {
        UUID job = UUID.randomUUID();

        probe.send(ChunkReady.of(job, 6, 0, 1, "work/" + job + "/gone.mp3", 0, 4));

        probe.await(Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(30));
        awaitSettled();
        assertThat(probe.all(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.stage()).isEqualTo("transcribe");
                    assertThat(f.reason()).contains("missing");
                });
    }
}
