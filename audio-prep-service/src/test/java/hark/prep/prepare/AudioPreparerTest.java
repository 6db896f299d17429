package hark.prep.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import hark.platform.PermanentFailure;
import hark.platform.audio.AudioInfo;
import hark.platform.audio.Ffmpeg;
import hark.prep.PrepProperties;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation and conversion on real files through the real ffmpeg. */
class AudioPreparerTest {

    @TempDir
    Path dir;

    private final Ffmpeg ffmpeg = new Ffmpeg();

    private AudioPreparer preparer(String engine) {
        return new AudioPreparer(ffmpeg, new PrepProperties(engine, "", 1200, 120, 4, 30, 600, "128k", 1));
    }

    @Test
    void offlineEnginesGet16kMonoPcmDecodedFromTheOriginal() {
        Path stereo = stereoMp3(dir.resolve("note.mp3"), 4);

        var prepared = preparer("sphinx").prepare(stereo, dir);

        assertThat(prepared.compressed()).isFalse();
        assertThat(prepared.path().getFileName().toString()).isEqualTo("prepared.wav");
        assertThat(prepared.info().isPcmMono(16_000)).isTrue();
        assertThat(prepared.info().durationSeconds()).isCloseTo(4.0, within(0.1));
    }

    @Test
    void theOpenAiEngineGetsTheOriginalDesignsRuleWavBecomesMp3AndSmallCompressedFilesStayAsTheyAre() {
        Path wav = TestAudio.toneWav(dir.resolve("note.wav"), 3, 16_000);
        var fromWav = preparer("openai").prepare(wav, dir);
        assertThat(fromWav.compressed()).isTrue();
        assertThat(fromWav.info().format()).isEqualTo("mp3");

        Path mp3 = stereoMp3(dir.resolve("small.mp3"), 3);
        var fromMp3 = preparer("openai").prepare(mp3, dir);
        assertThat(fromMp3.compressed()).isFalse();
        assertThat(fromMp3.path()).isEqualTo(mp3);
    }

    @Test
    void badFilesFailWithAReasonAPersonUnderstands() throws IOException {
        AudioPreparer preparer = preparer("sphinx");
        Path text = Files.writeString(dir.resolve("list.mp3"), "eggs, milk, bread\n".repeat(100));
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(dir.resolve("t.wav"), 1, 8000));
        Path headerOnly = Files.write(dir.resolve("header.wav"), Arrays.copyOf(wav, 44));
        Path image = Files.write(dir.resolve("photo.mp3"), TestFiles.png());
        Path video = dir.resolve("clip.mp4");
        ffmpeg.run(List.of("-f", "lavfi", "-i", "testsrc=duration=2:size=64x64:rate=10", "-an", video.toString()));
        Path tooLong = dir.resolve("long.mp3");
        ffmpeg.run(List.of(
                "-f",
                "lavfi",
                "-i",
                "anullsrc=r=8000:cl=mono",
                "-t",
                "660",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "8k",
                tooLong.toString()));

        assertFails(preparer, text, "The file is not audio Hark can read (it may be damaged or truncated).");
        assertFails(preparer, empty, "The file is empty.");
        assertFails(preparer, headerOnly, "The audio has no length; the file may be truncated.");
        assertFails(preparer, image, "The file is not audio Hark can read (it may be damaged or truncated).");
        assertFails(preparer, video, "The file is a video without an audio track.");
        assertFails(preparer, tooLong, "The recording is 11 min 0 s long; Hark takes recordings of up to 10 min 0 s.");
    }

    private static void assertFails(AudioPreparer preparer, Path file, String reason) {
        assertThatThrownBy(() -> preparer.prepare(file, file.getParent()))
                .as(file.getFileName().toString())
                .isInstanceOf(PermanentFailure.class)
                .hasMessage(reason);
    }

    private Path stereoMp3(Path out, int seconds) {
        ffmpeg.run(List.of(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=44100:duration=" + seconds,
                "-ac",
                "2",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "128k",
                out.toString()));
        AudioInfo info = ffmpeg.probe(out);
        assertThat(info.channels()).isEqualTo(2);
        return out;
    }
}
