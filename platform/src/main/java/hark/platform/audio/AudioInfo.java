package hark.platform.audio;

/** What a probe found in a file. */
public record AudioInfo(String format, double durationSeconds, int sampleRate, int channels, long sizeBytes) {
}
