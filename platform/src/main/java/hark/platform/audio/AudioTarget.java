package hark.platform.audio;

import java.util.List;

/**
 * The audio an engine wants, so that prep produces it once instead of every chunk converting.
 * Offline engines decode 16 kHz mono PCM; the OpenAI API takes a compressed file of at most
 * 25 MB and 1500 s, which is where the original design's limits come from.
 */
public enum AudioTarget {
    PCM_16K_MONO("wav", Long.MAX_VALUE, Double.MAX_VALUE, List.of("-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le")),
    MP3("mp3", 25L * 1024 * 1024, 1500, List.of("-c:a", "libmp3lame"));

    private final String extension;
    private final long maxBytes;
    private final double maxSeconds;
    private final List<String> codecArgs;

    AudioTarget(String extension, long maxBytes, double maxSeconds, List<String> codecArgs) {
        this.extension = extension;
        this.maxBytes = maxBytes;
        this.maxSeconds = maxSeconds;
        this.codecArgs = codecArgs;
    }

    /** {@code HARK_ENGINE} and {@code OPENAI_API_KEY} decide, by the same rule in prep and transcription. */
    public static AudioTarget forEngine(String engine, String openAiKey) {
        return meansOpenAi(engine, openAiKey) ? MP3 : PCM_16K_MONO;
    }

    /** {@code openai}, or {@code auto} with a key set: every offline engine takes PCM. */
    public static boolean meansOpenAi(String engine, String openAiKey) {
        return "openai".equals(engine) || ("auto".equals(engine) && openAiKey != null && !openAiKey.isBlank());
    }

    public String extension() {
        return extension;
    }

    /** Largest file one request may carry. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Longest audio one request may carry. */
    public double maxSeconds() {
        return maxSeconds;
    }

    /** ffmpeg output options producing this target (the bitrate of MP3 is the caller's). */
    public List<String> codecArgs() {
        return codecArgs;
    }
}
