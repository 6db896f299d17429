package hark.transcribe.engine;

import hark.platform.audio.AudioTarget;
import hark.platform.startup.ConfigurationMistake;
import hark.transcribe.TranscribeProperties;
import hark.transcribe.engine.openai.OpenAiEngine;
import hark.transcribe.engine.openai.OpenAiProperties;
import hark.transcribe.engine.pocketsphinx.PocketsphinxCommand;
import hark.transcribe.engine.pocketsphinx.PocketsphinxEngine;
import hark.transcribe.engine.sphinx.SphinxEngine;
import hark.transcribe.engine.whisper.GgmlModelFile;
import hark.transcribe.engine.whisper.WhisperEngine;
import hark.transcribe.engine.whisper.WhisperProperties;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HARK_ENGINE}: {@code openai}, {@code whisper}, {@code pocketsphinx}, {@code sphinx}, or
 * {@code auto} — the API when a key is set (the same rule prep uses to choose its audio format),
 * else Whisper when its model file is there (far fewer words wrong than Sphinx:
 * docs/benchmarks.md), else the in-JVM Sphinx that needs nothing installed.
 *
 * <p>{@code auto} does not move to the pocketsphinx command when it is installed: measured here
 * (docs/benchmarks.md) it mishears short voice notes that Sphinx4 gets right (33 % and 75 % word
 * error rate against 0 % and 13 %), and is only about twice as fast on longer speech, not ten
 * times. It is there for those who choose it.
 */
public final class EngineSelection {

    private static final Logger log = LoggerFactory.getLogger(EngineSelection.class);

    /** The engine, and why it was chosen, in words for the log and the admin overview. */
    public record Selected(TranscriptionEngine engine, String detail, String reason) {}

    private EngineSelection() {}

    public static Selected select(TranscribeProperties props, OpenAiProperties openAi, WhisperProperties whisper) {
        String engine = props.engine() == null ? "auto" : props.engine().strip();
        Selected chosen = choose(engine, props, openAi, whisper);
        log.info(
                "Transcription engine: {}{} ({})",
                chosen.engine().name(),
                chosen.detail().isEmpty() ? "" : " [" + chosen.detail() + "]",
                chosen.reason());
        return chosen;
    }

    private static Selected choose(
            String engine, TranscribeProperties props, OpenAiProperties openAi, WhisperProperties whisper) {
        if (AudioTarget.meansOpenAi(engine, openAi.apiKey())) {
            return new Selected(
                    new OpenAiEngine(openAi),
                    openAi.model(),
                    "auto".equals(engine) ? "HARK_ENGINE=auto and OPENAI_API_KEY is set" : "HARK_ENGINE=" + engine);
        }
        switch (engine) {
            case "auto":
                if (whisper.model() != null && Files.exists(whisper.model())) {
                    return whisper(
                            props,
                            whisper,
                            "HARK_ENGINE=auto, no OPENAI_API_KEY, and the Whisper model " + whisper.model()
                                    + " is there");
                }
                return new Selected(
                        new SphinxEngine(props.concurrency()),
                        "",
                        "HARK_ENGINE=auto, no OPENAI_API_KEY and no Whisper model at " + whisper.model()
                                + " (./hark model fetch base.en)");
            case "whisper":
                return whisper(props, whisper, "HARK_ENGINE=whisper");
            case "sphinx":
                return new Selected(new SphinxEngine(props.concurrency()), "", "HARK_ENGINE=sphinx");
            case "pocketsphinx":
                PocketsphinxCommand command = PocketsphinxCommand.of(null, null);
                command.missing().ifPresent(missing -> {
                    throw new ConfigurationMistake("HARK_ENGINE=pocketsphinx, but " + missing);
                });
                return new Selected(new PocketsphinxEngine(command), "", "HARK_ENGINE=pocketsphinx");
            default:
                throw new ConfigurationMistake(
                        "Unknown HARK_ENGINE '" + engine + "': use auto, openai, whisper, pocketsphinx or sphinx");
        }
    }

    private static Selected whisper(TranscribeProperties props, WhisperProperties whisper, String reason) {
        if (!whisper.language().matches("auto|[a-z]{2,3}")) {
            throw new ConfigurationMistake(
                    "HARK_LANGUAGE '" + whisper.language() + "': use auto or a language code such as en or de");
        }
        try {
            WhisperEngine engine =
                    WhisperEngine.start(whisper.model(), whisper.threadsPer(props.concurrency()), whisper.language());
            return new Selected(engine, engine.describe(), reason);
        } catch (GgmlModelFile.BadModelException | EngineException e) {
            String why = e.getMessage();
            throw new ConfigurationMistake(reason + ", but " + Character.toLowerCase(why.charAt(0)) + why.substring(1)
                    + (why.endsWith(".") ? "" : ".") + " Fetch a model with ./hark model fetch base.en,"
                    + " or set HARK_WHISPER_MODEL.");
        }
    }
}
