package hark.transcribe.engine.whisper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the transcribe-service and its {@link WhisperWorker} say to each other over the worker's
 * stdin and stdout: the worker says whether its model loaded, then answers one request at a time.
 * Strings go as {@code writeUTF} (the few segment texts and prompts are far below its 64 KB).
 */
final class WorkerProtocol {

    private static final String READY = "ready";
    private static final String OK = "ok";

    private WorkerProtocol() {}

    /** One chunk to transcribe: a 16 kHz mono PCM WAV file, the language or "auto", a prompt or "". */
    record Request(String audio, String language, String prompt) {

        static Request read(DataInputStream in) throws IOException {
            return new Request(in.readUTF(), in.readUTF(), in.readUTF());
        }

        void write(DataOutputStream out) throws IOException {
            out.writeUTF(audio);
            out.writeUTF(language);
            out.writeUTF(prompt);
            out.flush();
        }
    }

    /** A span of text, its times in whisper.cpp's units of 10 ms. */
    record Segment(long start, long end, String text) {}

    /** @param language the language heard, or "" when not known */
    record Result(String language, Segment[] segments) {}

    static void ready(DataOutputStream out, boolean multilingual) throws IOException {
        out.writeUTF(READY);
        out.writeBoolean(multilingual);
        out.flush();
    }

    static void failed(DataOutputStream out, String reason) throws IOException {
        out.writeUTF(String.valueOf(reason));
        out.flush();
    }

    /** True when the model loaded and the worker multilingual; throws with the worker's reason otherwise. */
    static boolean awaitReady(DataInputStream in) throws IOException {
        String first = in.readUTF();
        if (!READY.equals(first)) {
            throw new IOException(first);
        }
        return in.readBoolean();
    }

    static void answer(DataOutputStream out, Result result) throws IOException {
        out.writeUTF(OK);
        out.writeUTF(result.language());
        out.writeInt(result.segments().length);
        for (Segment segment : result.segments()) {
            out.writeLong(segment.start());
            out.writeLong(segment.end());
            out.writeUTF(segment.text());
        }
        out.flush();
    }

    static void refuse(DataOutputStream out, String reason) throws IOException {
        out.writeUTF(reason);
        out.flush();
    }

    /** The worker's answer; a refusal is thrown as an IOException carrying the worker's reason. */
    static Result readAnswer(DataInputStream in) throws IOException {
        String first = in.readUTF();
        if (!OK.equals(first)) {
            throw new WorkerRefused(first);
        }
        String language = in.readUTF();
        Segment[] segments = new Segment[in.readInt()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(in.readLong(), in.readLong(), in.readUTF());
        }
        return new Result(language, segments);
    }

    /** The worker is alive and says why it could not transcribe this file. */
    static final class WorkerRefused extends IOException {
        WorkerRefused(String reason) {
            super(reason);
        }
    }
}
