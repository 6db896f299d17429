package hark.transcribe.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.testing.TinyWhisperModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each damage here aborts whisper.cpp's whole process or loads an unusable model when not caught first. */
class GgmlModelFileTest {

    /** Where the tiny model's vocabulary starts: magic and 11 numbers, then the 1 x 201 mel table. */
    private static final int VOCABULARY = 4 + 11 * 4 + 8 + 201 * 4;

    @TempDir
    Path dir;

    private Path model;
    private byte[] whole;

    @BeforeEach
    void writeModel() throws IOException {
        model = dir.resolve("ggml-tiny.bin");
        TinyWhisperModel.write(model, " Hello world");
        whole = Files.readAllBytes(model);
    }

    @Test
    void aWholeModelPasses() {
        GgmlModelFile checked = GgmlModelFile.check(model);

        assertThat(checked.multilingual()).isTrue();
        assertThat(checked.layers()).isEqualTo(2);
        assertThat(checked.bytes()).isEqualTo(whole.length);
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    // In the header (an assertion abort), the mel table and the vocabulary (an "empty model" that aborts
    // when used), the tensors (null from the loader), and one byte short.
    @ValueSource(ints = {4, 30, 500, VOCABULARY + 6, 200_000, -1})
    void aCutFileIsIncomplete(int length) throws IOException {
        Files.write(model, Arrays.copyOf(whole, length > 0 ? length : whole.length + length));

        assertThatThrownBy(() -> GgmlModelFile.check(model))
                .isInstanceOf(GgmlModelFile.BadModelException.class)
                .hasMessageContaining("incomplete")
                .hasMessageContaining("Fetch it again");
    }

    @Test
    void somethingElseIsNotAModel() throws IOException {
        Files.writeString(model, "<html>404 Not Found</html>");

        assertThatThrownBy(() -> GgmlModelFile.check(model)).hasMessageContaining("is not a whisper.cpp model");
    }

    @Test
    void aVocabularyWithoutTheBlankTokenIsRefused() throws IOException {
        // The first word is " " (length 1): made "!" it is gone, and whisper.cpp would abort.
        whole[VOCABULARY + 8] = '!';
        Files.write(model, whole);

        assertThatThrownBy(() -> GgmlModelFile.check(model)).hasMessageContaining("no blank token");
    }

    @Test
    void aMissingFileOrAFolderIsSaidPlainly() {
        assertThatThrownBy(() -> GgmlModelFile.check(dir.resolve("ggml-none.bin")))
                .hasMessage("There is no Whisper model at " + dir.resolve("ggml-none.bin"));
        assertThatThrownBy(() -> GgmlModelFile.check(dir)).hasMessageContaining("is a folder");
    }
}
