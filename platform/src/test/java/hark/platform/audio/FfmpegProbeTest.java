package hark.platform.audio;

import hark.platform.PermanentFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FfmpegProbeTest {

    private final Ffmpeg ffmpeg = new Ffmpeg();

    @TempDir
    Path dir;

    @Test
    void aBrowserStyleWebmWithoutALengthInItsHeaderIsMeasuredByDecoding() {
        // What MediaRecorder writes: a WebM written as a live stream, with no duration in its header.
        Path webm = dir.resolve("voice-note.webm");
        ffmpeg.run(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=2.5", "-c:a", "libopus",
                "-f", "webm", "-live", "1", webm.toString()));

        AudioInfo info = ffmpeg.probe(webm);

        assertThat(info.durationSeconds()).isCloseTo(2.5, within(0.1));
    }

    @Test
    void aWavWithAHeaderAndNoSamplesStillHasNoLength() throws Exception {
        Path wav = dir.resolve("empty.wav");
        ffmpeg.run(List.of("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", "-c:a", "pcm_s16le",
                wav.toString()));
        assertThat(Files.size(wav)).isPositive();

        assertThatThrownBy(() -> ffmpeg.probe(wav)).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("no length");
    }
}
