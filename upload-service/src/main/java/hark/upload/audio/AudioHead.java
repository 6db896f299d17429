package hark.upload.audio;

import hark.platform.audio.AudioSignature;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * The first {@link AudioSignature#HEAD_BYTES} bytes of an upload, copied from its buffers as they
 * go by. The network splits a body wherever it likes, so the head may come in several buffers; the
 * buffers are only read, never consumed, and go on to the file untouched. Not thread-safe: one
 * upload's buffers arrive one after another.
 */
final class AudioHead {

    private final byte[] bytes = new byte[AudioSignature.HEAD_BYTES];
    private int length;

    /** Copies what the head still lacks from {@code buffer}; true when this buffer completed it. */
    boolean fill(DataBuffer buffer) {
        if (isFull()) {
            return false;
        }
        int take = Math.min(bytes.length - length, buffer.readableByteCount());
        int start = buffer.readPosition();
        for (int i = 0; i < take; i++) {
            bytes[length++] = buffer.getByte(start + i);
        }
        return isFull();
    }

    boolean isFull() {
        return length == bytes.length;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }
}
