package hark.prep.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking real speech with known pauses, through the real ffmpeg. */
class ChunkerTest {

    private static final double SLOT = 5.0;

    @TempDir
    Path dir;

    private final Ffmpeg ffmpeg = new Ffmpeg();

    @Test
    void chunksCoverTheRecordingExactlyAndEveryCutFallsInAPause() {
        // Eight 5 s slots: 3.3-3.5 s of real speech, then silence to the end of the slot.
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), dir);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), dir);
        Path recording = TestAudio.joinWithPauses(
                dir.resolve("talk.wav"), SLOT, first, second, first, second, first, second, first, second);
        double duration = ffmpeg.probe(recording).durationSeconds();
        // Chunks of at most 14 s: the first target, 13.3 s, is in the middle of a word.
        Chunker chunker = chunker(14, 6);

        List<Chunker.Chunk> chunks = chunker.split(recording, dir, duration, 1_280_044);

        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        double covered = 0;
        double expectedStart = 0;
        for (Chunker.Chunk chunk : chunks) {
            assertThat(chunk.startSeconds()).isEqualTo(expectedStart);
            assertThat(chunk.endSeconds() - chunk.startSeconds()).isLessThanOrEqualTo(14.0);
            covered += ffmpeg.probe(chunk.path()).durationSeconds();
            expectedStart = chunk.endSeconds();
        }
        assertThat(expectedStart).isEqualTo(duration);
        assertThat(covered).isCloseTo(duration, within(1.0));
        for (Chunker.Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
            double intoSlot = chunk.endSeconds() % SLOT;
            assertThat(intoSlot).as("cut at %.2f s", chunk.endSeconds()).isGreaterThan(3.55);
        }
    }

    @Test
    void aRecordingShorterThanOneChunkIsLeftWhole() {
        Path clip = TestAudio.speech(SpeechClip.PRIMARY.file(), dir);

        List<Chunker.Chunk> chunks = chunker(12, 6).split(clip, dir, 3.5, 112_124);

        assertThat(chunks).containsExactly(new Chunker.Chunk(clip, 0, 3.5));
    }

    private Chunker chunker(int chunkSeconds, int windowSeconds) {
        var props = new PrepProperties("sphinx", "", chunkSeconds, 1, 1, windowSeconds, 21600, "128k", 1);
        return new Chunker(ffmpeg, new QuietestMoment(ffmpeg), props);
    }
}
