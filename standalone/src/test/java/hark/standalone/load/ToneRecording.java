package hark.standalone.load;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A 16 kHz mono 16-bit WAV of an exact size: a second of tone, then a second of silence, over and
 * over, so the chunker always has a pause near its cut. The bytes are made while they are sent:
 * a load of many large recordings costs neither disk nor memory on the sending side.
 */
public final class ToneRecording {

    public static final int SAMPLE_RATE = 16_000;
    private static final int HEADER_BYTES = 44;
    private static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;
    /** Two seconds (tone, silence), sent again and again; never changed once built. */
    private static final byte[] CYCLE = cycle();

    private final long dataBytes;

    private ToneRecording(long dataBytes) {
        this.dataBytes = dataBytes;
    }

    /** A recording whose file is {@code fileBytes} long (rounded down to whole samples). */
    public static ToneRecording ofFileSize(long fileBytes) {
        if (fileBytes < HEADER_BYTES + 2) {
            throw new IllegalArgumentException("A WAV needs more than " + fileBytes + " bytes");
        }
        return new ToneRecording((fileBytes - HEADER_BYTES) & ~1L);
    }

    public long fileBytes() {
        return HEADER_BYTES + dataBytes;
    }

    public double seconds() {
        return (double) dataBytes / BYTES_PER_SECOND;
    }

    /** The file, produced piece by piece as the HTTP client asks for it; its exact length is declared. */
    public HttpRequest.BodyPublisher asBody(byte[] before, byte[] after) {
        Iterable<byte[]> pieces = () -> new Pieces(before, header(), after);
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(pieces), before.length + fileBytes() + after.length);
    }

    /** {@code before}, the WAV header, whole cycles, the last partial cycle, {@code after}. */
    private final class Pieces implements Iterator<byte[]> {

        private final byte[] before;
        private final byte[] header;
        private final byte[] after;
        private int step;
        private long dataLeft = dataBytes;

        Pieces(byte[] before, byte[] header, byte[] after) {
            this.before = before;
            this.header = header;
            this.after = after;
        }

        @Override
        public boolean hasNext() {
            return step < 3 || dataLeft > 0;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (step == 0) {
                step++;
                return before;
            }
            if (step == 1) {
                step++;
                return header;
            }
            if (dataLeft > 0) {
                long take = Math.min(dataLeft, CYCLE.length);
                dataLeft -= take;
                return take == CYCLE.length ? CYCLE : Arrays.copyOf(CYCLE, (int) take);
            }
            step++;
            return after;
        }
    }

    private byte[] header() {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(SAMPLE_RATE)
                .putInt(BYTES_PER_SECOND)
                .putShort((short) 2)
                .putShort((short) 16);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.array();
    }

    private static byte[] cycle() {
        ByteBuffer pcm = ByteBuffer.allocate(2 * BYTES_PER_SECOND).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SAMPLE_RATE; i++) {
            pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE)));
        }
        return pcm.array(); // the second half stays zero: the pause
    }
}
