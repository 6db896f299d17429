package hark.prep;

import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TopicProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Feeds the prep stages' input topics on a real broker and reads their output topics. */
@SpringBootTest(classes = AudioPrepServiceApplication.class, properties = {
        "hark.prep.max-single-seconds=8", "hark.prep.chunk-seconds=5"})
class AudioPrepStagesTest extends StageTest {

    @Test
    void aShortWavIsCompressedToMp3AndBecomesOneChunk() {
        UUID job = UUID.randomUUID();
        String path = upload(job, TestAudio.toneWav(storage.resolve("short.wav"), 3, 16_000));

        probe.send(AudioUploaded.of(job, 1, "local", path, "audio/wav", 96_044));

        assertThat(probe.await(Topics.JOB_PROGRESS, StageStarted.class, e -> e.jobId().equals(job), 1, patience()))
                .extracting(StageStarted::stage).containsExactly("prep");
        AudioPrepared prepared = probe.await(Topics.AUDIO_PREPARED, AudioPrepared.class,
                e -> e.jobId().equals(job), 1, patience()).get(0);
        assertThat(prepared.compressed()).isTrue();
        assertThat(prepared.format()).isEqualTo("mp3");
        assertThat(prepared.durationSeconds()).isCloseTo(3.0, within(0.2));
        assertThat(storage.resolve(prepared.preparedPath())).exists();

        List<ChunkReady> chunks = probe.await(Topics.AUDIO_CHUNKS, ChunkReady.class, e -> e.jobId().equals(job),
                1, patience());
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.chunkCount()).isEqualTo(1);
            assertThat(c.chunkPath()).isEqualTo(prepared.preparedPath());
            assertThat(c.endSeconds()).isEqualTo(prepared.durationSeconds());
        });
    }

    @Test
    void aLongRecordingIsCutIntoChunksThatCoverItWithoutGapOrOverlap() {
        UUID job = UUID.randomUUID();
        String path = upload(job, TestAudio.toneWav(storage.resolve("long.wav"), 21, 16_000));

        probe.send(AudioUploaded.of(job, 2, "local", path, "audio/wav", 672_044));

        List<ChunkReady> chunks = probe.await(Topics.AUDIO_CHUNKS, ChunkReady.class, e -> e.jobId().equals(job),
                5, patience()).stream().sorted(Comparator.comparingInt(ChunkReady::chunkIndex)).toList();
        assertThat(chunks).hasSize(5).allSatisfy(c -> {
            assertThat(c.chunkCount()).isEqualTo(5);
            assertThat(c.endSeconds() - c.startSeconds()).isLessThanOrEqualTo(5.5);
            assertThat(storage.resolve(c.chunkPath())).exists();
        });
        assertThat(chunks.get(0).startSeconds()).isZero();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startSeconds()).isEqualTo(chunks.get(i - 1).endSeconds());
        }
        assertThat(chunks.get(4).endSeconds()).isCloseTo(21.0, within(1.0));
        // Spread over partitions, so several consumers can take them at once.
        assertThat(chunks.stream().map(c -> c.chunkIndex() % 3).distinct()).hasSize(3);
    }

    @Test
    void aFileThatIsNotAudioFailsAtOnceWithAReasonAndADeadLetter() throws IOException {
        UUID job = UUID.randomUUID();
        Path fake = storage.resolve("originals").resolve(job + ".mp3");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "this is a shopping list, not a song\n".repeat(50));

        probe.send(AudioUploaded.of(job, 3, "local", "originals/" + job + ".mp3", "audio/mpeg", 1800));

        StageFailed failed = probe.await(Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1,
                patience()).get(0);
        assertThat(failed.stage()).isEqualTo("prep");
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).contains("not audio");
        assertThat(probe.await(Topics.deadLetter(Topics.AUDIO_UPLOADED), AudioUploaded.class,
                e -> e.jobId().equals(job), 1, patience())).hasSize(1);
        assertThat(probe.await(Topics.AUDIO_PREPARED, AudioPrepared.class, e -> e.jobId().equals(job), 0,
                Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void anEmptyFileFailsWithItsOwnReason() throws IOException {
        UUID job = UUID.randomUUID();
        Path empty = storage.resolve("originals").resolve(job + ".wav");
        Files.createDirectories(empty.getParent());
        Files.createFile(empty);

        probe.send(AudioUploaded.of(job, 4, "local", "originals/" + job + ".wav", "audio/wav", 0));

        assertThat(probe.await(Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, patience()))
                .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("The file is empty."));
    }

    private static String upload(UUID job, Path wav) {
        try {
            Path original = storage.resolve("originals").resolve(job + ".wav");
            Files.createDirectories(original.getParent());
            Files.move(wav, original);
            return "originals/" + job + ".wav";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Duration patience() {
        return Duration.ofSeconds(60);
    }
}
