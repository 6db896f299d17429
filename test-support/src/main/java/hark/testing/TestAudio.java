package hark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Audio for tests: a shipped real speech clip, and generated tones. */
public final class TestAudio {

    private TestAudio() {}

    /** Copies a clip from {@code test-support}'s {@code speech/} resources into {@code dir}. */
    public static Path speech(String name, Path dir) {
        try (InputStream in = TestAudio.class.getResourceAsStream("/speech/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No speech clip " + name);
            }
            Path out = dir.resolve(name);
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a 16-bit mono WAV of {@code seconds}: one second of tone then one of silence, over
     * and over, streamed to disk so that long files cost no memory.
     */
    public static Path toneWav(Path out, int seconds, int sampleRate) {
        long samples = (long) seconds * sampleRate;
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
            os.write(wavHeader(samples * 2, sampleRate));
            ByteBuffer frame = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < samples; i++) {
                boolean tone = (i / sampleRate) % 2 == 0;
                short value = tone ? (short) (8000 * Math.sin(2 * Math.PI * 440 * i / sampleRate)) : 0;
                frame.clear();
                frame.putShort(value);
                os.write(frame.array());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Joins 16 kHz mono 16-bit clips into one WAV, each padded with silence to {@code slotSeconds}:
     * a recording with known pauses, where a cut at every slot boundary falls between words.
     */
    public static Path joinWithPauses(Path out, double slotSeconds, Path... clips) {
        int rate = 16_000;
        long slotBytes = Math.round(slotSeconds * rate) * 2;
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
            os.write(wavHeader(slotBytes * clips.length, rate));
            for (Path clip : clips) {
                byte[] pcm = Files.readAllBytes(clip);
                int samples = pcm.length - 44; // the shipped clips have the plain 44-byte header
                if (samples > slotBytes) {
                    throw new IllegalArgumentException(clip + " is longer than " + slotSeconds + " s");
                }
                os.write(pcm, 44, samples);
                os.write(new byte[(int) (slotBytes - samples)]);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] wavHeader(long dataBytes, int sampleRate) {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt((int) (36 + dataBytes)).put("WAVE".getBytes());
        h.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(sampleRate)
                .putInt(sampleRate * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        h.put("data".getBytes()).putInt((int) dataBytes);
        return h.array();
    }
}
