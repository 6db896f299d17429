package hark.testing;

/**
 * The playing time of an uploaded WAV, so that verbose_json, srt and vtt answers report a
 * plausible duration; anything that is not a readable WAV counts as one second.
 */
final class WavLength {

    static final double UNKNOWN = 1.0;

    private WavLength() {}

    static double seconds(byte[] file) {
        if (file.length < 12 || !ascii(file, 0, "RIFF") || !ascii(file, 8, "WAVE")) {
            return UNKNOWN;
        }
        long byteRate = 0;
        // Walk the chunks rather than assume a 44-byte header: ffmpeg adds a LIST chunk.
        int pos = 12;
        while (pos + 8 <= file.length) {
            long size = littleEndianInt(file, pos + 4);
            if (ascii(file, pos, "fmt ") && pos + 20 <= file.length) {
                byteRate = littleEndianInt(file, pos + 16);
            } else if (ascii(file, pos, "data")) {
                // A streamed WAV may carry a placeholder size, so trust the bytes actually present.
                long dataBytes = Math.min(size, file.length - pos - 8L);
                return byteRate > 0 ? (double) dataBytes / byteRate : UNKNOWN;
            }
            long next = pos + 8L + size + (size & 1);
            if (next > file.length) {
                break;
            }
            pos = (int) next;
        }
        return UNKNOWN;
    }

    private static boolean ascii(byte[] b, int pos, String id) {
        for (int i = 0; i < id.length(); i++) {
            if (pos + i >= b.length || b[pos + i] != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long littleEndianInt(byte[] b, int pos) {
        return (b[pos] & 0xFFL) | (b[pos + 1] & 0xFFL) << 8 | (b[pos + 2] & 0xFFL) << 16 | (b[pos + 3] & 0xFFL) << 24;
    }
}
