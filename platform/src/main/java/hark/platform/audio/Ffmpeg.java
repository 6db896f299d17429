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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg (the static build JAVE ships) run file to file, so audio is never decoded into the JVM.
 * Arguments are built by Hark from ids and numbers only, never from a client's strings.
 */
public class Ffmpeg {

    private static final int STDERR_TAIL = 4096;
    private static final Pattern DECODED_TIME = Pattern.compile("time=(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final String NOT_AUDIO = "The file is not audio Hark can read (it may be damaged or truncated).";

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
            throw new PermanentFailure(NOT_AUDIO, e);
        }
        if (info.getAudio() == null) {
            // An image also shows as a "video" stream, but one without a length.
            throw new PermanentFailure(info.getVideo() != null && info.getDuration() > 0
                    ? "The file is a video without an audio track." : NOT_AUDIO);
        }
        // Browsers' MediaRecorder writes WebM without a length in its header; decoding finds it.
        double seconds = info.getDuration() > 0 ? info.getDuration() / 1000.0 : decodedSeconds(file);
        if (seconds <= 0) {
            throw new PermanentFailure("The audio has no length; the file may be truncated.");
        }
        return new AudioInfo(info.getFormat(), info.getAudio().getDecoder(), seconds,
                info.getAudio().getSamplingRate(), info.getAudio().getChannels(), size);
    }

    /** Decodes the audio to nowhere and reads how far ffmpeg got; 0 when it cannot. */
    private double decodedSeconds(Path file) {
        try {
            Matcher time = DECODED_TIME.matcher(run(List.of("-i", file.toString(), "-vn", "-map", "0:a:0",
                    "-f", "null", "-")));
            double seconds = 0;
            while (time.find()) {
                seconds = Integer.parseInt(time.group(1)) * 3600 + Integer.parseInt(time.group(2)) * 60
                        + Double.parseDouble(time.group(3));
            }
            return seconds;
        } catch (FfmpegException unreadable) {
            return 0;
        }
    }

    /** Runs ffmpeg with the given arguments; returns its diagnostic output. */
    public String run(List<String> args) {
        return run(args, null);
    }

    /**
     * Runs ffmpeg and hands its standard output, as it is produced, to {@code output} (which must
     * read it to the end); returns ffmpeg's diagnostic output.
     */
    public String run(List<String> args, OutputReader output) {
        List<String> command = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-y"));
        command.addAll(args);
        try {
            var builder = new ProcessBuilder(command);
            if (output == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            // stderr is drained on its own thread, so a chatty ffmpeg never blocks on a full pipe
            // while the caller is still reading stdout.
            Process process = builder.start();
            var diagnosticsTail = new FutureTask<>(() -> tail(process.getErrorStream()));
            Thread drainer = new Thread(diagnosticsTail, "ffmpeg-stderr");
            drainer.setDaemon(true);
            drainer.start();
            if (output != null) {
                try (InputStream stdout = process.getInputStream()) {
                    output.read(stdout);
                }
            }
            String diagnostics = diagnosticsTail.get();
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
        } catch (ExecutionException e) {
            throw new UncheckedIOException("Could not read ffmpeg's output", (IOException) e.getCause());
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

    /** Reads what ffmpeg writes to its standard output. */
    @FunctionalInterface
    public interface OutputReader {
        void read(InputStream stdout) throws IOException;
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
