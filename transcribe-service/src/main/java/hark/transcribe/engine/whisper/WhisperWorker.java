package hark.transcribe.engine.whisper;

import hark.transcribe.engine.PcmWav;
import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioInputStream;

/**
 * The child process that runs whisper.cpp: one per transcribe consumer, with the model loaded once.
 *
 * <p>Why a process of its own: whisper.cpp aborts its whole process on some damaged files and on
 * misuse of its handles, and a native crash cannot be caught in Java. Out here it takes down only
 * this worker; the chunk it was working on fails with the reason, and upload- and status-service in
 * the all-in-one run never notice. It speaks {@link WorkerProtocol} on stdin and stdout; whisper.cpp's
 * own log and anything else printed go to stderr, which the parent keeps the last lines of.
 *
 * <p>Arguments: the model file and the number of threads.
 */
public final class WhisperWorker {

    private static final String DETECTED = "auto-detected language: ";

    private final WhisperJNI whisper = new WhisperJNI();
    private final WhisperContext context;
    private final boolean multilingual;
    private final int threads;
    /** Set by whisper.cpp's log line while it transcribes; the library has no call that answers it. */
    private volatile String detected;

    private WhisperWorker(WhisperContext context, int threads) {
        this.context = context;
        this.multilingual = whisper.isMultilingual(context);
        this.threads = threads;
    }

    public static void main(String[] args) throws IOException {
        // The protocol owns stdout; anything else printed by Java goes to stderr with the log.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        Path model = Path.of(args[0]);
        WhisperWorker worker;
        try {
            // Checked again here: the file may have changed since the parent looked.
            GgmlModelFile.check(model);
            worker = start(model, Integer.parseInt(args[1]));
        } catch (RuntimeException | IOException e) {
            WorkerProtocol.failed(out, e.getMessage());
            System.exit(3);
            return;
        }
        WorkerProtocol.ready(out, worker.multilingual);
        while (true) {
            WorkerProtocol.Request request;
            try {
                request = WorkerProtocol.Request.read(in);
            } catch (EOFException parentGone) {
                return;
            }
            try {
                WorkerProtocol.answer(out, worker.transcribe(request));
            } catch (RuntimeException | IOException e) {
                WorkerProtocol.refuse(out, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    private static WhisperWorker start(Path model, int threads) throws IOException {
        WhisperJNI.loadLibrary();
        WhisperWorker[] self = new WhisperWorker[1];
        // whisper.cpp logs through this; the detected language is read from it, the rest goes on to stderr.
        WhisperJNI.setLibraryLogger(line -> {
            int at = line.indexOf(DETECTED);
            if (at >= 0 && self[0] != null) {
                self[0].detected =
                        line.substring(at + DETECTED.length()).split(" ")[0].strip();
            }
            System.err.println(line.stripTrailing());
        });
        WhisperContext context = new WhisperJNI().init(model);
        if (context == null) {
            throw new IllegalStateException("whisper.cpp could not load " + model.getFileName());
        }
        self[0] = new WhisperWorker(context, threads);
        return self[0];
    }

    private WorkerProtocol.Result transcribe(WorkerProtocol.Request request) throws IOException {
        float[] samples = samples(Path.of(request.audio()));
        WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
        params.nThreads = threads;
        // An English-only model is told English; "auto" asks a multilingual one to find the language.
        params.language = multilingual ? request.language() : "en";
        params.initialPrompt = request.prompt().isBlank() ? null : request.prompt();
        params.noContext = true;
        params.noTimestamps = false;
        params.printProgress = false;
        params.printRealtime = false;
        params.printTimestamps = false;
        params.printSpecial = false;
        detected = null;
        int status = whisper.full(context, params, samples, samples.length);
        if (status != 0) {
            throw new IllegalStateException("whisper.cpp could not transcribe the audio (status " + status + ")");
        }
        int count = whisper.fullNSegments(context);
        WorkerProtocol.Segment[] segments = new WorkerProtocol.Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new WorkerProtocol.Segment(
                    whisper.fullGetSegmentTimestamp0(context, i),
                    whisper.fullGetSegmentTimestamp1(context, i),
                    whisper.fullGetSegmentText(context, i));
        }
        String language = "auto".equals(params.language) ? detected : params.language;
        return new WorkerProtocol.Result(language == null ? "" : language, segments);
    }

    /** 16-bit PCM as whisper.cpp wants it: floats from -1 to 1, read without a second copy in memory. */
    private static float[] samples(Path audio) throws IOException {
        try (AudioInputStream pcm = PcmWav.open(audio)) {
            long frames = pcm.getFrameLength();
            if (frames < 0 || frames > Integer.MAX_VALUE) {
                throw new IOException("The audio file " + audio.getFileName() + " has no usable length");
            }
            float[] samples = new float[(int) frames];
            byte[] buffer = new byte[1 << 16];
            int filled = 0;
            int carried = 0;
            int read;
            while (filled < samples.length && (read = read(pcm, buffer, carried)) > 0) {
                int available = carried + read;
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, available).order(ByteOrder.LITTLE_ENDIAN);
                while (bytes.remaining() >= 2 && filled < samples.length) {
                    samples[filled++] = bytes.getShort() / 32768f;
                }
                carried = bytes.remaining();
                System.arraycopy(buffer, available - carried, buffer, 0, carried);
            }
            return filled == samples.length ? samples : Arrays.copyOf(samples, filled);
        }
    }

    private static int read(InputStream in, byte[] buffer, int offset) throws IOException {
        return in.read(buffer, offset, buffer.length - offset);
    }
}
