package hark.platform.audio;

import hark.platform.PermanentFailure;
import ws.schild.jave.EncoderException;
import ws.schild.jave.MultimediaObject;
import ws.schild.jave.info.MultimediaInfo;
import ws.schild.jave.process.ffmpeg.DefaultFFMPEGLocator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg (the static build JAVE ships) run file to file, so audio is never decoded into the JVM.
 * Arguments are built by Hark from ids and numbers only, never from a client's strings.
 */
public class Ffmpeg {

    private static final int STDERR_TAIL = 4096;

    private final String executable = new DefaultFFMPEGLocator().getExecutablePath();

    /** Probes a file; a file ffmpeg cannot read as audio is a permanent failure. */
    public AudioInfo probe(Path file) {
        long size = size(file);
        if (size == 0) {
            throw new PermanentFailure("The file is empty.");
        }
        MultimediaInfo info;
        try {
            info = new MultimediaObject(file.toFile()).getInfo();
        } catch (EncoderException e) {
            throw new PermanentFailure("The file is not audio Hark can read.", e);
        }
        if (info.getAudio() == null) {
            throw new PermanentFailure("The file has no audio track.");
        }
        if (info.getDuration() <= 0) {
            throw new PermanentFailure("The audio has no length; the file may be truncated.");
        }
        return new AudioInfo(info.getFormat(), info.getDuration() / 1000.0, info.getAudio().getSamplingRate(),
                info.getAudio().getChannels(), size);
    }

    /** Runs ffmpeg with the given arguments; returns its diagnostic output. */
    public String run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-y"));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String diagnostics = tail(process.getErrorStream());
            if (!process.waitFor(2, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new IllegalStateException("ffmpeg took longer than 2 hours");
            }
            if (process.exitValue() != 0) {
                throw new FfmpegException(process.exitValue(), diagnostics);
            }
            return diagnostics;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running ffmpeg", e);
        }
    }

    /** Converts any audio to 16-bit PCM WAV, mono, at the given rate. */
    public void toPcmWav(Path in, Path out, int sampleRate) {
        run(List.of("-i", in.toString(), "-vn", "-ac", "1", "-ar", Integer.toString(sampleRate),
                "-c:a", "pcm_s16le", "-f", "wav", out.toString()));
    }

    /** Keeps only the last few KB of ffmpeg's chatter: enough to explain a failure, bounded in memory. */
    private static String tail(InputStream stderr) throws IOException {
        byte[] ring = new byte[STDERR_TAIL];
        long total = 0;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = stderr.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % STDERR_TAIL)] = buffer[i];
            }
        }
        var out = new ByteArrayOutputStream();
        if (total > STDERR_TAIL) {
            int start = (int) (total % STDERR_TAIL);
            out.write(ring, start, STDERR_TAIL - start);
            out.write(ring, 0, start);
        } else {
            out.write(ring, 0, (int) total);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new PermanentFailure("The uploaded file is missing from storage.", e);
        }
    }

    /** ffmpeg exited with an error. */
    public static class FfmpegException extends RuntimeException {
        public FfmpegException(int exit, String diagnostics) {
            super("ffmpeg exited with " + exit + ": " + lastLine(diagnostics));
        }

        private static String lastLine(String text) {
            String[] lines = text.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
