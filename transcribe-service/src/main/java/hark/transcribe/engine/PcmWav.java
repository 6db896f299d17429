package hark.transcribe.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Opens a WAV file as raw samples, refusing anything but the one form the model was trained on. */
public final class PcmWav {

    private PcmWav() {}

    public static AudioInputStream open(Path audio) {
        String name = String.valueOf(audio.getFileName());
        if (!Files.exists(audio)) {
            throw new EngineException("The audio file " + name + " does not exist");
        }
        if (!Files.isRegularFile(audio)) {
            throw new EngineException("The audio file " + name + " is not a regular file");
        }
        if (!Files.isReadable(audio)) {
            throw new EngineException("The audio file " + name + " cannot be read");
        }
        AudioInputStream in;
        try {
            in = AudioSystem.getAudioInputStream(audio.toFile());
        } catch (UnsupportedAudioFileException e) {
            throw new EngineException("The audio file " + name + " is not a WAV file", e);
        } catch (IOException e) {
            throw new EngineException("Could not read the audio file " + name + ": " + e.getMessage(), e);
        }
        AudioFormat format = in.getFormat();
        if (!isPcmMono16k(format)) {
            closeQuietly(in);
            throw new EngineException(
                    "The audio file " + name + " is " + format + "; speech recognition needs 16 kHz mono 16-bit PCM");
        }
        return in;
    }

    private static boolean isPcmMono16k(AudioFormat format) {
        return AudioFormat.Encoding.PCM_SIGNED.equals(format.getEncoding())
                && format.getSampleSizeInBits() == 16
                && format.getChannels() == 1
                && format.getSampleRate() == 16_000f
                && !format.isBigEndian();
    }

    private static void closeQuietly(AudioInputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a clearer message.
        }
    }
}
