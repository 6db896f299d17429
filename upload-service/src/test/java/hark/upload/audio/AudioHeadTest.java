package hark.upload.audio;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.audio.AudioSignature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

class AudioHeadTest {

    @Test
    void aHeadSplitAcrossBuffersIsJoinedWithoutConsumingThem() {
        byte[] file = new byte[200];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        AudioHead head = new AudioHead();
        DataBuffer one = buffer(file, 0, 1);
        DataBuffer three = buffer(file, 1, 4);
        DataBuffer rest = buffer(file, 4, 200);

        assertThat(head.fill(one)).isFalse();
        assertThat(head.fill(three)).isFalse();
        assertThat(head.length()).isEqualTo(4);
        assertThat(head.fill(rest))
                .as("the buffer that completes the head says so")
                .isTrue();
        assertThat(head.fill(buffer(file, 0, 10))).as("and only that one").isFalse();

        assertThat(head.length()).isEqualTo(AudioSignature.HEAD_BYTES);
        assertThat(head.bytes()).isEqualTo(Arrays.copyOf(file, AudioSignature.HEAD_BYTES));
        // The buffers go on to the file: nothing of them may have been read away.
        assertThat(one.readableByteCount()).isEqualTo(1);
        assertThat(rest.readableByteCount()).isEqualTo(196);
        assertThat(rest.getByte(rest.readPosition())).isEqualTo((byte) 4);
    }

    @Test
    void aBufferThatWasPartlyReadCountsFromItsReadPosition() {
        byte[] bytes = new byte[100];
        bytes[10] = 42;
        DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap(bytes);
        buffer.readPosition(10);
        AudioHead head = new AudioHead();

        assertThat(head.fill(buffer)).isTrue();
        assertThat(head.bytes()[0]).isEqualTo((byte) 42);
        assertThat(buffer.readPosition()).isEqualTo(10);
    }

    private static DataBuffer buffer(byte[] file, int from, int to) {
        return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(file, from, to));
    }
}
