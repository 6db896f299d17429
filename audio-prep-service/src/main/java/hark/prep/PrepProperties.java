package hark.prep;

import hark.platform.audio.AudioTarget;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param engine             {@code HARK_ENGINE}: decides the audio prep produces
 * @param openAiKey          {@code OPENAI_API_KEY}: with {@code auto}, a key means the OpenAI engine
 * @param chunkSeconds       the longest a chunk may be
 * @param minChunkSeconds    chunks are not made shorter than this to gain parallelism
 * @param parallelism        transcribe consumers that can work at once (at most the partitions)
 * @param cutWindowSeconds   how far before its target length a cut may move to find a pause
 * @param maxDurationSeconds longest recording accepted
 * @param bitrate            MP3 bitrate of compressed audio
 * @param concurrency        consumers of each prep stage in this process
 */
@ConfigurationProperties("hark.prep")
public record PrepProperties(
        String engine,
        String openAiKey,
        int chunkSeconds,
        int minChunkSeconds,
        int parallelism,
        int cutWindowSeconds,
        int maxDurationSeconds,
        String bitrate,
        int concurrency) {

    public AudioTarget target() {
        return AudioTarget.forEngine(engine, openAiKey);
    }

    /**
     * How long chunks of this recording should be: short enough for the engine's limits and for
     * every consumer to get one, never longer than {@code chunkSeconds}, never shorter than
     * {@code minChunkSeconds} (unless the engine's byte limit needs it).
     */
    public double chunkLength(double durationSeconds, long bytes) {
        AudioTarget target = target();
        double length = Math.min(chunkSeconds, target.maxSeconds());
        if (target.maxBytes() < Long.MAX_VALUE) {
            double bytesPerSecond = bytes / Math.max(durationSeconds, 0.001);
            // 10 % headroom: cuts move to pauses, and container overhead varies.
            length = Math.min(length, 0.9 * target.maxBytes() / Math.max(bytesPerSecond, 1));
        }
        // One chunk per consumer; the margin of a cut window lets cuts move back to pauses without
        // the last consumer's share spilling into an extra chunk that someone waits for.
        double shareOfConsumers =
                Math.max(minChunkSeconds, durationSeconds / Math.max(parallelism, 1) + cutWindowSeconds);
        return Math.min(length, shareOfConsumers);
    }
}
