package hark.transcribe.engine.pocketsphinx;

import hark.transcribe.engine.EngineException;
import hark.transcribe.engine.EngineInput;
import hark.transcribe.engine.PcmWav;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.TranscriptionEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sound.sampled.AudioInputStream;

/**
 * Offline English transcription by the pocketsphinx 0.8 command line, one process per file.
 *
 * <p>A process loads the model in about a second and holds about 100 MB outside the JVM, then
 * exits; nothing is shared between calls, so calls may run on several threads at once and the same
 * file always gives the same words (a reused decoder would carry its cepstral mean over).
 */
public final class PocketsphinxEngine implements TranscriptionEngine {

    // The model loads in about 1 s and decoding ran at 0.2-0.5 x real time on 2 shared cores;
    // the bound only has to catch a process that hangs, so it is loose enough for a machine
    // several times slower.
    private static final Duration START_UP_ALLOWANCE = Duration.ofSeconds(60);
    private static final double ALLOWANCE_PER_AUDIO_SECOND = 3.0;
    // Once the process has ended its pipes close; only a leftover child holding them could delay.
    private static final long PIPE_WAIT_SECONDS = 10;

    private final PocketsphinxCommand command;
    private final Duration startUpAllowance;
    private final double allowancePerAudioSecond;

    /** @param command where the program and model are, usually {@link PocketsphinxCommand#detect()}'s */
    public PocketsphinxEngine(PocketsphinxCommand command) {
        this(command, START_UP_ALLOWANCE, ALLOWANCE_PER_AUDIO_SECOND);
    }

    /** A process gets {@code startUpAllowance} plus {@code allowancePerAudioSecond} per second of audio. */
    PocketsphinxEngine(PocketsphinxCommand command, Duration startUpAllowance, double allowancePerAudioSecond) {
        this.command = command;
        this.startUpAllowance = startUpAllowance;
        this.allowancePerAudioSecond = allowancePerAudioSecond;
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public EngineInput input() {
        return EngineInput.pcmMono16k();
    }

    @Override
    public Transcript transcribe(Path audio) {
        String name = String.valueOf(audio.getFileName());
        // Checked here, not left to pocketsphinx, which reads any bytes as samples.
        try (AudioInputStream pcm = PcmWav.open(audio)) {
            return PocketsphinxOutput.parse(decode(pcm, name, timeLimit(audio)));
        } catch (IOException e) {
            throw new EngineException("Could not read the audio file " + name + ": " + e.getMessage(), e);
        }
    }

    private Duration timeLimit(Path audio) throws IOException {
        // From the file size rather than the header: a header written while streaming may claim
        // any length, and 32 000 bytes a second is an upper bound on the audio in the file.
        double seconds = Files.size(audio) / 32_000.0;
        return startUpAllowance.plusMillis(Math.round(seconds * allowancePerAudioSecond * 1000));
    }

    private String decode(InputStream pcm, String name, Duration limit) {
        Process process = start(name);
        FutureTask<Void> feeding = background("pocketsphinx-stdin", () -> {
            try (OutputStream stdin = process.getOutputStream()) {
                pcm.transferTo(stdin);
            }
            return null;
        });
        // Both outputs are read on their own threads, so neither pipe can fill and stall the
        // process while this thread waits on it with a time limit.
        FutureTask<String> output = background(
                "pocketsphinx-stdout",
                () -> new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        FutureTask<Diagnostics> diagnostics =
                background("pocketsphinx-stderr", () -> Diagnostics.read(process.getErrorStream()));
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException("Speech recognition of " + name + " took longer than " + limit.toSeconds()
                        + " s, so pocketsphinx was stopped");
            }
            int exit = process.exitValue();
            Diagnostics stderr = finish(diagnostics, name);
            if (exit != 0) {
                throw new EngineException(
                        "pocketsphinx could not transcribe " + name + " (exit code " + exit + ")" + stderr.reason());
            }
            // pocketsphinx reads to the end before it exits, so a failure here is in reading the file.
            finish(feeding, name);
            return finish(output, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while transcribing " + name, e);
        } finally {
            // Does nothing once the process has exited; otherwise ends it, which also ends the
            // feeding thread (broken pipe) before the caller closes the file it reads.
            process.destroyForcibly();
            awaitQuietly(feeding);
        }
    }

    private Process start(String name) {
        try {
            return new ProcessBuilder(command.decodeStdin()).start();
        } catch (IOException e) {
            throw new EngineException(
                    "Could not start pocketsphinx (" + command.executable() + ") for " + name + ": " + e.getMessage(),
                    e);
        }
    }

    private static <T> FutureTask<T> background(String threadName, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static <T> T finish(FutureTask<T> task, String name) throws InterruptedException {
        try {
            return task.get(PIPE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EngineException("Could not pass " + name + " through pocketsphinx: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new EngineException("pocketsphinx ended but its output for " + name + " did not", e);
        }
    }

    private static void awaitQuietly(FutureTask<?> task) {
        try {
            task.get(PIPE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // Already failing, or done: the outcome was reported by the caller.
        }
    }

    /**
     * What pocketsphinx wrote to stderr, kept small: it logs a few hundred lines per file, and
     * a failure is explained by its ERROR and FATAL lines, or else by the last lines.
     */
    private record Diagnostics(List<String> errors, List<String> lastLines) {

        private static final int KEEP = 5;
        private static final int LINE_LENGTH = 300;

        static Diagnostics read(InputStream stderr) throws IOException {
            Deque<String> errors = new ArrayDeque<>();
            Deque<String> last = new ArrayDeque<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    line = line.strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    line = line.length() > LINE_LENGTH ? line.substring(0, LINE_LENGTH) + "..." : line;
                    if (line.startsWith("ERROR:") || line.startsWith("FATAL")) {
                        keep(errors, withoutSourceLocation(line));
                    }
                    keep(last, line);
                }
            }
            return new Diagnostics(new ArrayList<>(errors), new ArrayList<>(last));
        }

        /** ": " and the explanation, or nothing when pocketsphinx said nothing. */
        String reason() {
            List<String> said = errors.isEmpty() ? lastLines : errors;
            return said.isEmpty() ? "" : ": " + String.join("; ", said);
        }

        private static void keep(Deque<String> lines, String line) {
            if (lines.size() == KEEP) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        // ERROR: "acmod.c", line 78: Folder ... -> Folder ...; the C source location helps nobody here.
        private static String withoutSourceLocation(String line) {
            return line.replaceFirst("^(ERROR|FATAL_ERROR|FATAL): \"[^\"]*\", line \\d+: ", "");
        }
    }
}
