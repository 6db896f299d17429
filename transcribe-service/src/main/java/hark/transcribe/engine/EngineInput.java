package hark.transcribe.engine;

/**
 * What an engine accepts.
 *
 * @param pcmWav        true when the engine wants 16-bit PCM WAV at {@code sampleRate}, mono
 * @param sampleRate    sample rate in Hz for PCM input (0 when any rate will do)
 * @param maxBytes      largest file the engine takes (Long.MAX_VALUE when unlimited)
 * @param maxSeconds    longest audio the engine takes (Long.MAX_VALUE when unlimited)
 * @param timestamps    whether {@link Transcript#segments()} carries timings
 */
public record EngineInput(boolean pcmWav, int sampleRate, long maxBytes, long maxSeconds, boolean timestamps) {

    public static EngineInput pcmMono16k() {
        return new EngineInput(true, 16_000, Long.MAX_VALUE, Long.MAX_VALUE, true);
    }
}
