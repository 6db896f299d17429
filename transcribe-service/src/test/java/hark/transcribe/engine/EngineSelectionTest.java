package hark.transcribe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.platform.startup.ConfigurationMistake;
import hark.testing.TinyWhisperModel;
import hark.transcribe.TranscribeProperties;
import hark.transcribe.engine.openai.OpenAiProperties;
import hark.transcribe.engine.whisper.WhisperProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSelectionTest {

    @TempDir
    Path dir;

    @Test
    void autoIsTheApiWhenAKeyIsSetThenWhisperWhenItsModelIsThereThenTheInJvmEngine() throws IOException {
        Path model = dir.resolve("ggml-base.en.bin");
        assertThat(select("auto", "sk-x", model).engine().name()).isEqualTo("openai");
        EngineSelection.Selected sphinx = select("auto", "", model);
        assertThat(sphinx.engine().name()).isEqualTo("sphinx");
        assertThat(sphinx.reason()).contains("no Whisper model at " + model, "./hark model fetch base.en");

        TinyWhisperModel.write(model, " Hello world");
        EngineSelection.Selected whisper = select("auto", "", model);
        try (AutoCloseable engine = (AutoCloseable) whisper.engine()) {
            assertThat(whisper.engine().name()).isEqualTo("whisper");
            assertThat(whisper.reason()).contains("the Whisper model " + model + " is there");
            assertThat(whisper.detail()).contains("ggml-base.en.bin");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(select("sphinx", "sk-x", model).engine().name()).isEqualTo("sphinx");
        assertThat(select("openai", "", model).engine().name()).isEqualTo("openai");
    }

    @Test
    void whisperWithoutAUsableModelStopsTheStartSayingWhatToDo() throws IOException {
        Path model = dir.resolve("ggml-base.en.bin");
        assertThatThrownBy(() -> select("whisper", "", model))
                .isInstanceOf(ConfigurationMistake.class)
                .hasMessageContaining("HARK_ENGINE=whisper, but there is no Whisper model at " + model)
                .hasMessageContaining("./hark model fetch base.en");

        // auto takes a model that is there, so a damaged one is said too, not passed over in silence.
        TinyWhisperModel.write(model, " Hello world");
        Files.write(model, Arrays.copyOf(Files.readAllBytes(model), 1000));
        assertThatThrownBy(() -> select("auto", "", model))
                .isInstanceOf(ConfigurationMistake.class)
                .hasMessageContaining("incomplete");
    }

    @Test
    void anUnknownEngineOrLanguageStopsTheStartWithTheChoicesNamed() {
        assertThatThrownBy(() -> select("whisper.cpp", "", dir.resolve("none.bin")))
                .hasMessageContaining("Unknown HARK_ENGINE 'whisper.cpp'")
                .hasMessageContaining("auto, openai, whisper, pocketsphinx or sphinx");
        assertThatThrownBy(() -> EngineSelection.select(
                        new TranscribeProperties("whisper", 2, List.of()),
                        openAi(""),
                        new WhisperProperties(dir.resolve("none.bin"), 0, "German")))
                .hasMessageContaining("HARK_LANGUAGE 'german'");
    }

    private static EngineSelection.Selected select(String engine, String key, Path model) {
        return EngineSelection.select(
                new TranscribeProperties(engine, 2, List.of()), openAi(key), new WhisperProperties(model, 0, "auto"));
    }

    private static OpenAiProperties openAi(String key) {
        return new OpenAiProperties(
                URI.create("https://api.openai.com"),
                key,
                "gpt-4o-transcribe",
                "auto",
                "",
                Duration.ofSeconds(900),
                Duration.ofSeconds(10),
                50,
                8,
                new OpenAiProperties.Retry(5, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMinutes(5)),
                new OpenAiProperties.CircuitBreaker(50, 10, 5, Duration.ofSeconds(30)));
    }
}
