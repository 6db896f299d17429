package hark.transcribe.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Turns one chunk of audio into text. Engines state the input they want so that the
 * stages can convert audio for them; the paid API engine and local engines share this.
 */
public interface TranscriptionEngine {

    /** Short stable name, recorded on every transcribed chunk ("sphinx", "openai"...). */
    String name();

    /** The audio this engine accepts; callers convert to it before {@link #transcribe}. */
    EngineInput input();

    /**
     * Transcribes a file already in {@link #input()} form.
     *
     * @throws EngineException with a message a person understands when it cannot
     */
    Transcript transcribe(Path audio);

    /**
     * As {@link #transcribe(Path)}, with what was said just before this audio (the end of the
     * previous chunk), for an engine that hears words at the cut better in context. Others ignore it.
     */
    default Transcript transcribe(Path audio, String before) {
        return transcribe(audio);
    }

    /**
     * The most one {@link #transcribe} can take, retries included, or zero when the engine cannot
     * say. The chunk consumer's poll interval is set above it, so a long call never makes Kafka
     * think the consumer died and hand its chunk to another.
     */
    default Duration longestCall() {
        return Duration.ZERO;
    }
}
