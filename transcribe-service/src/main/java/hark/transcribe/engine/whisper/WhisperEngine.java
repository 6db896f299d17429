package hark.transcribe.engine.whisper;

import hark.transcribe.engine.EngineException;
import hark.transcribe.engine.EngineInput;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.TranscriptionEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Offline transcription by Whisper (whisper.cpp through whisper-jni), each chunk in a
 * {@link WhisperWorker} process that has the model loaded: one worker per chunk transcribed at
 * once, started when first needed and kept. A worker that dies or hangs is ended and the chunk
 * fails with the reason (and is retried as any failed chunk); the next chunk starts a new worker,
 * which loads the model file again, so a model removed meanwhile fails that chunk saying so.
 */
public final class WhisperEngine implements TranscriptionEngine, AutoCloseable {

    /** Loading takes a second for base and up to about a minute for large models on a slow disk. */
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    // The limit only has to catch a worker that hangs: large models on two cores run at about real
    // time, so six times the audio's length is loose enough for a machine several times slower.
    private static final Duration CALL_ALLOWANCE = Duration.ofMinutes(2);
    private static final double ALLOWANCE_PER_AUDIO_SECOND = 6.0;
    /** The longest chunk prep makes (the original design's 20 minutes). */
    private static final long LONGEST_CHUNK_SECONDS = 20 * 60;

    private final Path model;
    private final int threads;
    private final String language;
    private final boolean multilingual;
    private final BlockingQueue<WorkerProcess> idle = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private WhisperEngine(Path model, int threads, String language, WorkerProcess first) {
        this.model = model;
        this.threads = threads;
        this.language = language;
        this.multilingual = first.multilingual();
        idle.add(first);
    }

    /**
     * Checks the model file and loads it in a first worker, so a model that cannot serve fails the
     * start, not the first upload. Throws {@link GgmlModelFile.BadModelException} or
     * {@link EngineException} saying why.
     */
    public static WhisperEngine start(Path model, int threads, String language) {
        GgmlModelFile.check(model);
        WorkerProcess.sweepLeftovers();
        return new WhisperEngine(model, threads, language, WorkerProcess.start(model, threads, START_LIMIT));
    }

    @Override
    public String name() {
        return "whisper";
    }

    /** For the log and the admin overview: the model, and whether it can hear other languages than English. */
    public String describe() {
        return model.getFileName() + (multilingual ? ", multilingual, language " + language : ", English only") + ", "
                + threads + " thread" + (threads == 1 ? "" : "s") + " per chunk";
    }

    @Override
    public EngineInput input() {
        return EngineInput.pcmMono16k();
    }

    @Override
    public Duration longestCall() {
        return callLimit(LONGEST_CHUNK_SECONDS);
    }

    @Override
    public Transcript transcribe(Path audio) {
        return transcribe(audio, "");
    }

    @Override
    public Transcript transcribe(Path audio, String before) {
        WorkerProcess worker = idle.poll();
        if (worker == null || !worker.isAlive()) {
            if (worker != null) {
                worker.close();
            }
            worker = startWorker();
        }
        try {
            WorkerProtocol.Result result = worker.transcribe(
                    new WorkerProtocol.Request(audio.toString(), language, before == null ? "" : before),
                    callLimit(seconds(audio)));
            return transcript(result);
        } finally {
            if (worker.isAlive() && !closed) {
                idle.add(worker);
            } else {
                worker.close();
            }
        }
    }

    private WorkerProcess startWorker() {
        try {
            GgmlModelFile.check(model);
        } catch (GgmlModelFile.BadModelException e) {
            throw new EngineException("The Whisper engine cannot start: " + e.getMessage());
        }
        return WorkerProcess.start(model, threads, START_LIMIT);
    }

    private static Transcript transcript(WorkerProtocol.Result result) {
        List<Transcript.Segment> segments = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (WorkerProtocol.Segment segment : result.segments()) {
            String words = segment.text().strip();
            if (words.isEmpty()) {
                continue;
            }
            // whisper.cpp counts time in hundredths of a second.
            segments.add(new Transcript.Segment(segment.start() / 100.0, segment.end() / 100.0, words));
            text.append(text.length() == 0 ? "" : " ").append(words);
        }
        return new Transcript(text.toString(), segments, result.language());
    }

    private static Duration callLimit(long audioSeconds) {
        return CALL_ALLOWANCE.plusMillis(Math.round(audioSeconds * ALLOWANCE_PER_AUDIO_SECOND * 1000));
    }

    /** An upper bound on the audio in a 16 kHz 16-bit file, from its size (a header may claim anything). */
    private static long seconds(Path audio) {
        try {
            return Files.size(audio) / 32_000 + 1;
        } catch (IOException e) {
            throw new EngineException(
                    "Could not read the audio file " + audio.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        WorkerProcess worker;
        while ((worker = idle.poll()) != null) {
            worker.close();
        }
    }
}
