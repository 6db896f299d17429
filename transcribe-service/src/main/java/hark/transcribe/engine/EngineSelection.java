package hark.transcribe.engine;

import hark.platform.audio.AudioTarget;
import hark.platform.startup.ConfigurationMistake;
import hark.transcribe.TranscribeProperties;
import hark.transcribe.engine.openai.OpenAiEngine;
import hark.transcribe.engine.openai.OpenAiProperties;
import hark.transcribe.engine.pocketsphinx.PocketsphinxCommand;
import hark.transcribe.engine.pocketsphinx.PocketsphinxEngine;
import hark.transcribe.engine.sphinx.SphinxEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HARK_ENGINE}: {@code openai}, {@code pocketsphinx}, {@code sphinx}, or {@code auto} — the
 * API when a key is set (the same rule prep uses to choose its audio format), else the in-JVM
 * Sphinx that needs nothing installed.
 *
 * <p>{@code auto} does not move to the pocketsphinx command when it is installed: measured here
 * (docs/benchmarks.md) it mishears short voice notes that Sphinx4 gets right (33 % and 75 % word
 * error rate against 0 % and 13 %), and is only about twice as fast on longer speech, not ten
 * times. It is there for those who choose it.
 */
public final class EngineSelection {

    private static final Logger log = LoggerFactory.getLogger(EngineSelection.class);

    private EngineSelection() {}

    public static TranscriptionEngine select(TranscribeProperties props, OpenAiProperties openAi) {
        String engine = props.engine() == null ? "auto" : props.engine().strip();
        TranscriptionEngine chosen = choose(engine, props, openAi);
        log.info("Transcription engine: {} (HARK_ENGINE={})", chosen.name(), engine);
        return chosen;
    }

    private static TranscriptionEngine choose(String engine, TranscribeProperties props, OpenAiProperties openAi) {
        if (AudioTarget.meansOpenAi(engine, openAi.apiKey())) {
            return new OpenAiEngine(openAi);
        }
        switch (engine) {
            case "auto":
            case "sphinx":
                return new SphinxEngine(props.concurrency());
            case "pocketsphinx":
                PocketsphinxCommand command = PocketsphinxCommand.of(null, null);
                command.missing().ifPresent(missing -> {
                    throw new ConfigurationMistake("HARK_ENGINE=pocketsphinx, but " + missing);
                });
                return new PocketsphinxEngine(command);
            default:
                throw new ConfigurationMistake(
                        "Unknown HARK_ENGINE '" + engine + "': use auto, openai, pocketsphinx or sphinx");
        }
    }
}
