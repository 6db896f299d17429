package hark.platform.audio;

/** What a probe found in a file. */
public record AudioInfo(
        String format, String codec, double durationSeconds, int sampleRate, int channels, long sizeBytes) {

    /** 16-bit PCM WAV, mono, at this rate: what the offline engines decode. */
    public boolean isPcmMono(int rate) {
        return codec != null && codec.startsWith("pcm_s16le") && channels == 1 && sampleRate == rate;
    }
}
