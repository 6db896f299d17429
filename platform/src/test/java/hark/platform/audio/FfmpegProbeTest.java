package hark.platform.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hark.platform.PermanentFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegProbeTest {

    private final Ffmpeg ffmpeg = new Ffmpeg();

    @TempDir
    Path dir;

    @Test
    void aBrowserStyleWebmWithoutALengthInItsHeaderIsMeasuredByDecoding() {
        // What MediaRecorder writes: a WebM written as a live stream, with no duration in its header.
        Path webm = dir.resolve("voice-note.webm");
        ffmpeg.run(List.of(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2.5",
                "-c:a",
                "libopus",
                "-f",
                "webm",
                "-live",
                "1",
                webm.toString()));

        AudioInfo info = ffmpeg.probe(webm);

        assertThat(info.durationSeconds()).isCloseTo(2.5, within(0.1));
    }

    /**
     * An MP3 whose Xing header claims a few frames while it holds a minute and a half: ffmpeg's
     * header-based length says seconds (enough to slip under the length limit); decoding says 90.
     */
    @Test
    void aHeaderThatLiesAboutTheLengthIsJudgedByDecoding() throws Exception {
        Path mp3 = dir.resolve("liar.mp3");
        ffmpeg.run(List.of(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=300:duration=90",
                "-ac",
                "1",
                "-ar",
                "16000",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "32k",
                mp3.toString()));
        byte[] bytes = Files.readAllBytes(mp3);
        int xing = indexOf(bytes, "Xing".getBytes(StandardCharsets.US_ASCII));
        if (xing < 0) {
            xing = indexOf(bytes, "Info".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(xing).as("LAME's Xing/Info header").isPositive();
        assertThat(bytes[xing + 7] & 1).as("frame count present").isEqualTo(1);
        // Frames: 50 of 576 samples at 16 kHz, under two seconds.
        bytes[xing + 8] = 0;
        bytes[xing + 9] = 0;
        bytes[xing + 10] = 0;
        bytes[xing + 11] = 50;
        Files.write(mp3, bytes);
        // ffmpeg asked only to describe it (no output: it says what it reads, then exits with an error).
        String claimed = assertThrows(Ffmpeg.FfmpegException.class, () -> ffmpeg.run(List.of("-i", mp3.toString())))
                .diagnostics();

        assertThat(claimed).contains("Duration: 00:00:01");
        assertThat(ffmpeg.probe(mp3).durationSeconds()).isCloseTo(90, within(1.0));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= Math.min(haystack.length, 4096); i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aWavWithAHeaderAndNoSamplesStillHasNoLength() throws Exception {
        Path wav = dir.resolve("empty.wav");
        ffmpeg.run(List.of(
                "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", "-c:a", "pcm_s16le", wav.toString()));
        assertThat(Files.size(wav)).isPositive();

        assertThatThrownBy(() -> ffmpeg.probe(wav))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("no length");
    }
}
