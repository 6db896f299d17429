package hark.transcribe.engine.sphinx;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.SphinxLogFormatter;
import hark.transcribe.engine.EngineException;
import hark.transcribe.engine.EngineInput;
import hark.transcribe.engine.PcmWav;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.Transcript.Segment;
import hark.transcribe.engine.TranscriptionEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioInputStream;

/**
 * Offline English transcription inside the JVM with CMU Sphinx4 and its US-English model.
 *
 * <p>A Sphinx decoder is not thread-safe and carries its own copy of the model (about 160 MB of
 * heap, about 4 s to load), so the engine keeps up to {@code parallelism} decoders, loads each the
 * first time a call finds none free, and reuses it for later calls.
 */
public final class SphinxEngine implements TranscriptionEngine {

    private final Semaphore permits;
    private final Deque<PooledDecoder> idle = new ConcurrentLinkedDeque<>();
    private final Object loading = new Object();

    /** @param parallelism how many files may be decoded at once; also the most decoders kept */
    public SphinxEngine(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.permits = new Semaphore(parallelism);
    }

    @Override
    public String name() {
        return "sphinx";
    }

    @Override
    public EngineInput input() {
        return EngineInput.pcmMono16k();
    }

    @Override
    public Transcript transcribe(Path audio) {
        // The file is checked before a decoder is taken, so a bad file never costs a model load.
        try (AudioInputStream pcm = PcmWav.open(audio)) {
            PooledDecoder decoder = acquire();
            boolean reusable = false;
            try {
                Transcript transcript = decoder.decode(pcm);
                reusable = true;
                return transcript;
            } catch (RuntimeException e) {
                throw new EngineException("Speech recognition failed on " + audio.getFileName() + ": " + e, e);
            } finally {
                release(decoder, reusable);
            }
        } catch (IOException e) {
            throw new EngineException(
                    "Could not read the audio file " + audio.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private PooledDecoder acquire() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while waiting for a free speech decoder", e);
        }
        PooledDecoder decoder = idle.poll();
        if (decoder != null) {
            return decoder;
        }
        try {
            return load();
        } catch (RuntimeException | IOException e) {
            permits.release();
            throw new EngineException("Could not load the Sphinx speech model: " + e, e);
        }
    }

    // One load at a time: two at once would double the memory peak, and Sphinx's set-up code,
    // which also reconfigures JVM-wide loggers, was not written to run concurrently.
    private PooledDecoder load() throws IOException {
        synchronized (loading) {
            return new PooledDecoder();
        }
    }

    private void release(PooledDecoder decoder, boolean reusable) {
        // A decoder that failed part-way may hold half a stream in its front end; dropping it
        // lets the next call load a clean one.
        if (reusable) {
            idle.push(decoder);
        }
        permits.release();
    }

    /** One loaded model with its search; used by one thread at a time. */
    private static final class PooledDecoder {

        private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";

        // Sphinx's default front end with batchCMN in place of liveCMN. LiveCMN carries its
        // cepstral mean over from the previous file, so a reused decoder heard the same clip
        // differently depending on what it decoded before; batchCMN normalises each utterance
        // on its own, which suits whole files and makes results repeatable.
        private static final String FRONT_END = String.join(
                ";",
                "dataSource",
                "dataBlocker",
                "speechClassifier",
                "speechMarker",
                "preemphasizer",
                "windower",
                "fft",
                "autoCepstrum",
                "batchCMN",
                "featureExtraction",
                "featureTransform");

        // Sphinx's default keeps 20000 paths per frame and ran at 3-4x real time on 2 cores;
        // 3000 runs well under real time and hears the same words in the test clips. At 2000
        // the LibriVox clip already loses "might even", so 3000 leaves a margin. The other
        // beams (word beams, relative beams, the fast-match list) made no measurable difference.
        private static final int ABSOLUTE_BEAM = 3000;

        private final Context context;
        private final Recognizer recognizer;

        PooledDecoder() throws IOException {
            Configuration configuration = new Configuration();
            configuration.setAcousticModelPath(MODELS + "en-us");
            configuration.setDictionaryPath(MODELS + "cmudict-en-us.dict");
            configuration.setLanguageModelPath(MODELS + "en-us.lm.bin");
            configuration.setSampleRate(16_000);
            QuietSphinxLogs.install();
            context = new Context(configuration);
            QuietSphinxLogs.afterModelSetUp();
            // Local properties only: setGlobalProperty re-applies every component's properties,
            // which rebuilds autoCepstrum's inner chain and leaves it unconnected (NPE on decode).
            context.setLocalProperty("liveFrontEnd->pipeline", FRONT_END);
            context.setLocalProperty("standardActiveListFactory->absoluteBeamWidth", ABSOLUTE_BEAM);
            recognizer = context.getInstance(Recognizer.class);
            // Allocated once and kept: StreamSpeechRecognizer's start/stop would reload the
            // language model and rebuild the search tree (1-2 s) on every file.
            recognizer.allocate();
        }

        Transcript decode(InputStream pcm) {
            context.setSpeechSource(pcm);
            List<Segment> segments = new ArrayList<>();
            Result utterance;
            // Sphinx splits the audio at pauses and returns one result per stretch of speech.
            while ((utterance = recognizer.recognize()) != null) {
                List<WordResult> words = utterance.getTimedBestResult(false);
                if (!words.isEmpty()) {
                    segments.add(segment(words));
                }
            }
            String text = segments.stream().map(Segment::text).collect(Collectors.joining(" "));
            return new Transcript(text, segments);
        }

        private static Segment segment(List<WordResult> words) {
            String text =
                    words.stream().map(word -> word.getWord().getSpelling()).collect(Collectors.joining(" "));
            long startMillis = words.get(0).getTimeFrame().getStart();
            long endMillis = words.get(words.size() - 1).getTimeFrame().getEnd();
            return new Segment(startMillis / 1000.0, endMillis / 1000.0, text);
        }
    }

    /**
     * Sphinx sets up its "default.config" logger each time a model is set up: level INFO, its own
     * console handler on stderr, parent handlers off, so every decoder would print timing and
     * memory reports per file. It adds that console handler only when no handler with its
     * formatter is present, so this one, installed first, stands in for it and passes only
     * severe records on to the application's logging.
     */
    private static final class QuietSphinxLogs extends Handler {

        // Held here because java.util.logging keeps loggers only weakly, settings included.
        private static final Logger SPHINX = Logger.getLogger("default.config");
        private static final Logger APPLICATION = Logger.getLogger(SphinxEngine.class.getName());

        private QuietSphinxLogs() {
            setFormatter(new SphinxLogFormatter());
            setLevel(Level.SEVERE);
        }

        /** Must run before Sphinx sets up a model, so that it finds this handler in place. */
        static synchronized void install() {
            // Checked each time rather than once, in case the application reset its logging since.
            if (Arrays.stream(SPHINX.getHandlers()).noneMatch(QuietSphinxLogs.class::isInstance)) {
                SPHINX.addHandler(new QuietSphinxLogs());
            }
        }

        /** Undoes the INFO level Sphinx has just set, so routine records are not even built. */
        static void afterModelSetUp() {
            SPHINX.setLevel(Level.SEVERE);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                APPLICATION.log(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
