package hark.platform.audio;

import hark.platform.PermanentFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.schild.jave.process.ffmpeg.DefaultFFMPEGLocator;

/**
 * ffmpeg run file to file, so audio is never decoded into the JVM. Arguments are built by Hark from
 * ids and numbers only, never from a client's strings; every input is opened by
 * {@link #input(Path)}: as the container its content shows, from the file protocol only, so that
 * ffmpeg never guesses a format and never follows a playlist, a concat list or an image sequence
 * to other files.
 */
public class Ffmpeg {

    private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);
    private static final int STDERR_HEAD = 16 * 1024;
    private static final int STDERR_TAIL = 4096;
    private static final Pattern DECODED_TIME = Pattern.compile("time=(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final Pattern INPUT = Pattern.compile("Input #0, ([^ ]+), from");
    private static final Pattern AUDIO_STREAM =
            Pattern.compile("Stream #0:\\d+[^:]*: Audio: ([a-z0-9_]+)[^\\n]*?, (\\d+) Hz, ([^,\\n]+)");
    private static final Pattern VIDEO_STREAM = Pattern.compile("Stream #0:\\d+[^:]*: Video: ");
    private static final Pattern DECLARED = Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final Pattern VERSION = Pattern.compile("ffmpeg version (\\S+)");
    private static final String NOT_AUDIO = "The file is not audio Hark can read (it may be damaged or truncated).";
    /** The oldest ffmpeg taken from the system: 5.0 (2022); older ones lack fixes an upload could reach. */
    private static final int OLDEST_SYSTEM_MAJOR = 5;

    private final String executable;

    /** The ffmpeg bundled with JAVE (4.4.1, from 2021): always there, but old. */
    public Ffmpeg() {
        this(new DefaultFFMPEGLocator().getExecutablePath());
    }

    public Ffmpeg(String executable) {
        this.executable = executable;
    }

    /**
     * The ffmpeg HARK_FFMPEG names: {@code auto} (the default) takes the system's {@code ffmpeg}
     * when it is version 5 or newer (Debian 12 has 5.1) and the bundled one otherwise; {@code
     * bundled} the bundled one; anything else is a path to an ffmpeg.
     */
    public static Ffmpeg choose(String setting) {
        String choice = setting == null || setting.isBlank() ? "auto" : setting.strip();
        if (choice.equals("bundled")) {
            return new Ffmpeg();
        }
        if (!choice.equals("auto")) {
            Ffmpeg named = new Ffmpeg(choice);
            named.version(); // fails now, with the path in the message, rather than at the first upload
            return named;
        }
        for (String candidate : List.of("/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg")) {
            if (Files.isExecutable(Path.of(candidate))) {
                Ffmpeg system = new Ffmpeg(candidate);
                String version = system.version();
                if (major(version) >= OLDEST_SYSTEM_MAJOR) {
                    return system;
                }
                log.info(
                        "Not using {} (ffmpeg {}): older than {}; using the bundled ffmpeg",
                        candidate,
                        version,
                        OLDEST_SYSTEM_MAJOR);
            }
        }
        return new Ffmpeg();
    }

    /** Its version as it says it ("5.1.8-0+deb12u1", "4.4.1-..."), and where it is. */
    public String describe() {
        return version() + " (" + executable + ")";
    }

    String version() {
        String[] said = {""};
        execute(
                List.of(executable, "-version"),
                stdout -> said[0] = new String(stdout.readAllBytes(), StandardCharsets.UTF_8));
        Matcher version = VERSION.matcher(said[0]);
        return version.find() ? version.group(1) : "unknown";
    }

    private static int major(String version) {
        Matcher digits = Pattern.compile("^n?(\\d+)").matcher(version);
        return digits.find() ? Integer.parseInt(digits.group(1)) : 0;
    }

    /**
     * The arguments that open {@code file} for reading, as the container its first bytes show and
     * from the file protocol only. A file that shows none Hark takes is a permanent failure.
     */
    public static List<String> input(Path file) {
        return List.of("-protocol_whitelist", "file", "-f", containerOf(file).demuxer(), "-i", file.toString());
    }

    private static Container containerOf(Path file) {
        if (size(file) == 0) {
            throw new PermanentFailure("The file is empty.");
        }
        try {
            return AudioSignature.recognise(file).orElseThrow(() -> new PermanentFailure(NOT_AUDIO));
        } catch (IOException e) {
            throw new PermanentFailure("The uploaded file is missing from storage.", e);
        }
    }

    /**
     * Probes a file by decoding its audio to nowhere: the length is what decoding finds, whatever
     * the header claims (a header can lie, and an upload's would, to pass the length limit). A file
     * ffmpeg cannot read as audio is a permanent failure.
     */
    public AudioInfo probe(Path file) {
        List<String> args = new ArrayList<>(input(file));
        args.addAll(List.of("-vn", "-sn", "-dn", "-f", "null", "-"));
        String diagnostics;
        try {
            diagnostics = run(args);
        } catch (FfmpegException failed) {
            diagnostics = failed.diagnostics();
        }
        Matcher format = INPUT.matcher(diagnostics);
        Matcher audio = AUDIO_STREAM.matcher(diagnostics);
        if (!format.find()) {
            throw new PermanentFailure(NOT_AUDIO);
        }
        if (!audio.find()) {
            // An image also shows as a "video" stream, but one without a length.
            throw new PermanentFailure(
                    VIDEO_STREAM.matcher(diagnostics).find() && declaredSeconds(diagnostics) > 0
                            ? "The file is a video without an audio track."
                            : NOT_AUDIO);
        }
        double seconds = length(declaredSeconds(diagnostics), decodedSeconds(diagnostics));
        if (seconds <= 0) {
            throw new PermanentFailure("The audio has no length; the file may be truncated.");
        }
        return new AudioInfo(
                format.group(1),
                audio.group(1),
                seconds,
                Integer.parseInt(audio.group(2)),
                channels(audio.group(3).strip()),
                size(file));
    }

    /**
     * The header's length where decoding agrees with it (it is the finer of the two: decoding's
     * last time stamp falls short by up to one packet), else what decoding found.
     */
    static double length(double declared, double decoded) {
        boolean agree = declared > 0 && Math.abs(declared - decoded) <= Math.max(1.0, decoded * 0.02);
        return agree ? declared : decoded;
    }

    /** The length the header claims; 0 when it claims none. */
    private static double declaredSeconds(String diagnostics) {
        Matcher declared = DECLARED.matcher(diagnostics);
        return declared.find() ? seconds(declared) : 0;
    }

    /** How far decoding got: the last progress line's time; 0 when there is none. */
    private static double decodedSeconds(String diagnostics) {
        Matcher time = DECODED_TIME.matcher(diagnostics);
        double seconds = 0;
        while (time.find()) {
            seconds = seconds(time);
        }
        return seconds;
    }

    private static double seconds(Matcher hoursMinutesSeconds) {
        return Integer.parseInt(hoursMinutesSeconds.group(1)) * 3600
                + Integer.parseInt(hoursMinutesSeconds.group(2)) * 60
                + Double.parseDouble(hoursMinutesSeconds.group(3));
    }

    /** Channels from ffmpeg's layout words: "mono", "stereo", "5.1(side)", "3 channels". */
    static int channels(String layout) {
        Matcher count = Pattern.compile("^(\\d+) channels").matcher(layout);
        if (count.find()) {
            return Integer.parseInt(count.group(1));
        }
        return switch (layout.replaceAll("\\(.*", "")) {
            case "mono" -> 1;
            case "stereo", "downmix" -> 2;
            case "2.1", "3.0" -> 3;
            case "quad", "4.0", "3.1" -> 4;
            case "5.0", "4.1" -> 5;
            case "5.1", "6.0" -> 6;
            case "7.0", "6.1" -> 7;
            case "7.1" -> 8;
            default -> 2;
        };
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
        return execute(command, output);
    }

    /** Runs a whole command line (not only ffmpeg's arguments); returns its diagnostic output. */
    private String execute(List<String> command, OutputReader output) {
        try {
            var builder = new ProcessBuilder(command);
            if (output == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            // stderr is drained on its own thread, so a chatty ffmpeg never blocks on a full pipe
            // while the caller is still reading stdout.
            Process process = builder.start();
            var diagnosticsTail = new FutureTask<>(() -> diagnostics(process.getErrorStream()));
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
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running ffmpeg", e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("Could not read ffmpeg's output", (IOException) e.getCause());
        }
    }

    /** Converts any audio to 16-bit PCM WAV, mono, at the given rate. */
    public void toPcmWav(Path in, Path out, int sampleRate) {
        List<String> args = new ArrayList<>(input(in));
        args.addAll(List.of(
                "-vn",
                "-ac",
                "1",
                "-ar",
                Integer.toString(sampleRate),
                "-c:a",
                "pcm_s16le",
                "-f",
                "wav",
                out.toString()));
        run(args);
    }

    /**
     * Keeps the start of ffmpeg's chatter (what it found in the input) and its end (how far it got,
     * or why it failed), a few KB each: a long decode prints progress lines all the way through,
     * and memory stays bounded however long it runs.
     */
    private static String diagnostics(InputStream stderr) throws IOException {
        byte[] head = stderr.readNBytes(STDERR_HEAD);
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
        out.write(head);
        if (total > STDERR_TAIL) {
            int start = (int) (total % STDERR_TAIL);
            out.write('\n');
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
        private final transient String diagnostics;

        public FfmpegException(int exit, String diagnostics) {
            super("ffmpeg exited with " + exit + ": " + lastLine(diagnostics));
            this.diagnostics = diagnostics;
        }

        /** The tail of what ffmpeg said. */
        public String diagnostics() {
            return diagnostics;
        }

        private static String lastLine(String text) {
            String[] lines = text.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
