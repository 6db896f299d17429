package hark.transcribe.engine;

import hark.platform.audio.AudioTarget;
import hark.transcribe.TranscribeProperties;
import hark.transcribe.engine.openai.OpenAiEngine;
import hark.transcribe.engine.openai.OpenAiProperties;
import hark.transcribe.engine.pocketsphinx.PocketsphinxCommand;
import hark.transcribe.engine.pocketsphinx.PocketsphinxEngine;
import hark.transcribe.engine.sphinx.SphinxEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code HARK_ENGINE}: {@code openai}, {@code pocketsphinx}, {@code sphinx}, or {@code auto} — the
 * API when a key is set (the same rule prep uses to choose its audio format), else the
 * pocketsphinx command when it is installed, else the in-JVM Sphinx that needs nothing installed.
 */
public final class EngineSelection {

    private static final Logger log = LoggerFactory.getLogger(EngineSelection.class);

    private EngineSelection() {
    }

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
        Optional<PocketsphinxCommand> command = PocketsphinxCommand.detect();
        switch (engine) {
            case "auto":
                return command.<TranscriptionEngine>map(PocketsphinxEngine::new)
                        .orElseGet(() -> new SphinxEngine(props.concurrency()));
            case "sphinx":
                return new SphinxEngine(props.concurrency());
            case "pocketsphinx":
                return new PocketsphinxEngine(command.orElseThrow(() -> new IllegalStateException(
                        "HARK_ENGINE=pocketsphinx, but the pocketsphinx command or its English model is not "
                                + "installed (Debian: apt-get install pocketsphinx pocketsphinx-en-us)")));
            default:
                throw new IllegalArgumentException("Unknown HARK_ENGINE '" + engine
                        + "': use auto, openai, pocketsphinx or sphinx");
        }
    }
}
