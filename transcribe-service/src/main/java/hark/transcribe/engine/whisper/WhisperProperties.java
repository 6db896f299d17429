package hark.transcribe.engine.whisper;

import java.nio.file.Path;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Whisper engine's settings.
 *
 * @param model    {@code HARK_WHISPER_MODEL}: a whisper.cpp model file ({@code ./hark model fetch base.en})
 * @param threads  {@code HARK_WHISPER_THREADS}: threads per chunk; 0 shares the cores among the
 *                 chunks transcribed at once
 * @param language {@code HARK_LANGUAGE}: {@code auto} lets a multilingual model find the language,
 *                 a code ({@code de}) forces it; English-only models always hear English
 */
@ConfigurationProperties("hark.whisper")
public record WhisperProperties(Path model, int threads, String language) {

    public WhisperProperties {
        language = language == null || language.isBlank()
                ? "auto"
                : language.strip().toLowerCase(Locale.ROOT);
    }

    /** Threads for one chunk when {@code consumers} chunks are transcribed at once. */
    public int threadsPer(int consumers) {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, consumers));
    }
}
