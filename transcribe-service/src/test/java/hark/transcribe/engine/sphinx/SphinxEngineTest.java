package hark.transcribe.engine.sphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.transcribe.engine.EngineException;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.Transcript.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SphinxEngineTest {

    // Words Sphinx's default model reliably hears in the clips (see speech/README.md).
    private static final String CARDS = "eight-of-spades.wav";
    private static final String[] CARDS_WORDS = {"spades", "clubs", "hearts"};
    private static final double CARDS_SECONDS = 3.5;
    private static final String AUSTEN = "might-even-have-been.wav";
    private static final String[] AUSTEN_WORDS = {"might", "even", "amiable"};

    // Shared so the model (about 4 s and 160 MB per decoder) loads at most twice for the class.
    private static SphinxEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void createEngine() {
        engine = new SphinxEngine(2);
    }

    @AfterAll
    static void dropEngine() {
        engine = null;
    }

    @Test
    void describesItself() {
        assertThat(engine.name()).isEqualTo("sphinx");
        assertThat(engine.input().pcmWav()).isTrue();
        assertThat(engine.input().sampleRate()).isEqualTo(16_000);
        assertThat(engine.input().timestamps()).isTrue();
    }

    @Test
    void hearsTheKeyWordsOfRealSpeech() throws IOException {
        Transcript transcript = engine.transcribe(clip(CARDS));

        assertThat(transcript.text()).contains(CARDS_WORDS);
        assertThat(transcript.text()).isEqualTo(transcript.text().toLowerCase()).doesNotContain("  ");
        assertThat(transcript.segments()).isNotEmpty();
        double previousEnd = 0;
        for (Segment segment : transcript.segments()) {
            assertThat(segment.startSeconds()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(segment.endSeconds())
                    .isGreaterThan(segment.startSeconds())
                    .isLessThanOrEqualTo(CARDS_SECONDS);
            assertThat(transcript.text()).contains(segment.text());
            previousEnd = segment.endSeconds();
        }
    }

    @Test
    void decodesOnSeveralThreadsAtOnce() throws Exception {
        Path cards = clip(CARDS);
        Path austen = clip(AUSTEN);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Transcript> first = threads.submit(() -> engine.transcribe(cards));
            Future<Transcript> second = threads.submit(() -> engine.transcribe(austen));

            assertThat(first.get().text()).contains(CARDS_WORDS);
            assertThat(second.get().text()).contains(AUSTEN_WORDS);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void givesTheSameWordsWhenADecoderIsReused() throws IOException {
        Path cards = clip(CARDS);
        Path austen = clip(AUSTEN);

        String before = engine.transcribe(cards).text();
        engine.transcribe(austen);

        assertThat(engine.transcribe(cards).text()).isEqualTo(before);
    }

    @Test
    void missingFileIsAnEngineException() {
        Path missing = dir.resolve("no-such-chunk.wav");

        assertThatThrownBy(() -> engine.transcribe(missing))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("no-such-chunk.wav")
                .hasMessageContaining("does not exist");
    }

    @Test
    void fileThatIsNotAudioIsAnEngineException() throws IOException {
        Path notAudio = Files.writeString(dir.resolve("notes.wav"), "this is not audio");

        assertThatThrownBy(() -> engine.transcribe(notAudio))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("notes.wav");
    }

    private Path clip(String name) throws IOException {
        // Copied out because the resource may sit inside test-support's jar.
        try (InputStream in = SphinxEngineTest.class.getResourceAsStream("/speech/" + name)) {
            assertThat(in).as("test-support resource /speech/" + name).isNotNull();
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }
}
