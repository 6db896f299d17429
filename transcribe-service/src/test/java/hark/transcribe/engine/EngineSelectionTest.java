package hark.transcribe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.transcribe.TranscribeProperties;
import hark.transcribe.engine.openai.OpenAiProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

    @Test
    void autoIsTheApiWhenAKeyIsSetAndTheInJvmEngineOtherwise() {
        assertThat(select("auto", "sk-x").name()).isEqualTo("openai");
        assertThat(select("auto", "").name()).isEqualTo("sphinx");
        assertThat(select("sphinx", "sk-x").name()).isEqualTo("sphinx");
        assertThat(select("openai", "").name()).isEqualTo("openai");
    }

    @Test
    void anUnknownEngineStopsTheStartWithTheChoicesNamed() {
        assertThatThrownBy(() -> select("whisper", ""))
                .hasMessageContaining("Unknown HARK_ENGINE 'whisper'")
                .hasMessageContaining("auto, openai, pocketsphinx or sphinx");
    }

    private static TranscriptionEngine select(String engine, String key) {
        var openAi = new OpenAiProperties(
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
        return EngineSelection.select(new TranscribeProperties(engine, 2, List.of()), openAi);
    }
}
