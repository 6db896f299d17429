package hark.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hark.platform.audio.AudioTarget;
import org.junit.jupiter.api.Test;

class PrepPropertiesTest {

    private static PrepProperties props(String engine) {
        return new PrepProperties(engine, "", 1200, 120, 4, 30, 21600, "128k", 1);
    }

    @Test
    void theEngineDecidesTheTarget() {
        assertThat(props("auto").target()).isEqualTo(AudioTarget.PCM_16K_MONO);
        assertThat(props("sphinx").target()).isEqualTo(AudioTarget.PCM_16K_MONO);
        assertThat(props("openai").target()).isEqualTo(AudioTarget.MP3);
        assertThat(props("pocketsphinx").target()).isEqualTo(AudioTarget.PCM_16K_MONO);
    }

    @Test
    void autoMeansTheApiWhenAKeyIsSet() {
        assertThat(new PrepProperties("auto", "sk-test", 1200, 120, 4, 30, 21600, "128k", 1).target())
                .isEqualTo(AudioTarget.MP3);
        assertThat(new PrepProperties("auto", " ", 1200, 120, 4, 30, 21600, "128k", 1).target())
                .isEqualTo(AudioTarget.PCM_16K_MONO);
        // An explicit offline choice wins over a key left in the environment.
        assertThat(new PrepProperties("sphinx", "sk-test", 1200, 120, 4, 30, 21600, "128k", 1).target())
                .isEqualTo(AudioTarget.PCM_16K_MONO);
    }

    @Test
    void longRecordingsAreSharedOutAmongTheConsumersWithinTheLimits() {
        PrepProperties offline = props("sphinx");
        // One hour, four consumers: four quarters, with a cut window of room to find pauses.
        assertThat(offline.chunkLength(3600, 115_200_000)).isEqualTo(930);
        // Three hours: never longer than 20 minutes.
        assertThat(offline.chunkLength(10_800, 345_600_000)).isEqualTo(1200);
        // Five minutes: not below two minutes for the sake of parallelism.
        assertThat(offline.chunkLength(300, 9_600_000)).isEqualTo(120);
    }

    @Test
    void compressedChunksStayUnderTheApisByteLimit() {
        PrepProperties openAi = props("openai");
        // 3 hours at 128 kbit/s: 20 minutes would be 19 MB, inside 25 MB.
        assertThat(openAi.chunkLength(10_800, 172_800_000)).isEqualTo(1200);
        // 2 hours at 320 kbit/s: 20 minutes would be 48 MB, so chunks shrink to fit.
        double length = openAi.chunkLength(7200, 288_000_000);
        assertThat(length * 288_000_000 / 7200).isLessThan(25 * 1024 * 1024);
        assertThat(length).isCloseTo(589.8, within(1.0));
    }
}
