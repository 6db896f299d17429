package hark.transcribe.engine.whisper;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A whisper.cpp model file (the {@code ggml-*.bin} format), read through in Java before native code
 * ever sees it. whisper.cpp trusts the file: cut inside its header it aborts the process on an
 * assertion, with no tensors it loads an "empty test model" that aborts at the first transcription,
 * and a vocabulary without the token " " aborts too. So the header, the vocabulary and every tensor
 * record are walked here, without reading the weights, and anything short or out of place is a
 * plain message.
 *
 * @param multilingual whether the model knows languages other than English (the {@code .en} models
 *                     do not)
 * @param layers       encoder and decoder layers, for the log ("base" has 6, "large-v3-turbo" 32)
 */
public record GgmlModelFile(Path path, boolean multilingual, int layers, long bytes) {

    private static final int MAGIC = 0x67676d6c;
    /** Tensors outside the layers (convolutions, embeddings, final norms) and in each layer. */
    private static final int FIXED_TENSORS = 11;

    private static final int ENCODER_LAYER_TENSORS = 15;
    private static final int DECODER_LAYER_TENSORS = 24;
    /** From whisper.cpp: the English vocabulary is 51864 tokens, the multilingual ones larger. */
    private static final int ENGLISH_VOCABULARY = 51864;

    /** Reads the file through; throws {@link BadModelException} saying what is wrong. */
    public static GgmlModelFile check(Path path) {
        long size;
        try {
            if (Files.isDirectory(path)) {
                throw new BadModelException(path + " is a folder, not a Whisper model file");
            }
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new BadModelException("There is no Whisper model at " + path);
        } catch (IOException e) {
            throw new BadModelException("Could not read the Whisper model " + path + ": " + e.getMessage());
        }
        try (InputStream file = Files.newInputStream(path);
                DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
            return read(path, size, new LittleEndian(in));
        } catch (EOFException e) {
            throw new BadModelException(
                    path + " ends too soon: the file is incomplete (" + size + " bytes)." + " Fetch it again.");
        } catch (IOException e) {
            throw new BadModelException("Could not read the Whisper model " + path + ": " + e.getMessage());
        }
    }

    private static GgmlModelFile read(Path path, long size, LittleEndian in) throws IOException {
        if (in.int32() != MAGIC) {
            throw new BadModelException(path + " is not a whisper.cpp model (ggml-*.bin): its first bytes are wrong");
        }
        int vocabulary = in.int32();
        int[] rest = new int[10]; // audio ctx, state, heads, layers; text ctx, state, heads, layers; mels; ftype
        for (int i = 0; i < rest.length; i++) {
            rest[i] = in.int32();
        }
        int audioLayers = rest[3];
        int textLayers = rest[7];
        if (vocabulary < 1000
                || vocabulary > 1_000_000
                || !allPositive(rest, 9)
                || audioLayers > 256
                || textLayers > 256) {
            throw new BadModelException(path + " has an impossible header: it is not a whisper.cpp model");
        }
        // The mel filter table: its size, then that many floats.
        int mels = in.int32();
        int fft = in.int32();
        if (mels <= 0 || fft <= 0 || (long) mels * fft > 1_000_000) {
            throw new BadModelException(path + " has an impossible mel filter table: it is not a whisper.cpp model");
        }
        in.skip((long) mels * fft * 4);
        int words = in.int32();
        if (words <= 0 || words > vocabulary) {
            throw new BadModelException(path + " has an impossible vocabulary: it is not a whisper.cpp model");
        }
        boolean blank = false;
        for (int i = 0; i < words; i++) {
            int length = in.int32();
            if (length < 0 || length > 1024) {
                throw new BadModelException(path + " has an impossible vocabulary: it is not a whisper.cpp model");
            }
            byte[] word = in.bytes(length);
            blank |= length == 1 && word[0] == ' ';
        }
        if (!blank) {
            throw new BadModelException(path + " has no blank token in its vocabulary, which whisper.cpp needs");
        }
        int expected = FIXED_TENSORS + ENCODER_LAYER_TENSORS * audioLayers + DECODER_LAYER_TENSORS * textLayers;
        int tensors = 0;
        while (!in.atEnd()) {
            skipTensor(path, in);
            tensors++;
        }
        if (tensors != expected) {
            throw new BadModelException(path + " holds " + tensors + " of the " + expected + " tensors its header"
                    + " promises: the file is incomplete or damaged. Fetch it again.");
        }
        return new GgmlModelFile(path, vocabulary > ENGLISH_VOCABULARY, audioLayers + textLayers, size);
    }

    /** A tensor record: dimensions, name length, type, each dimension, the name, the data. */
    private static void skipTensor(Path path, LittleEndian in) throws IOException {
        int dims = in.int32();
        int nameLength = in.int32();
        int type = in.int32();
        if (dims < 1 || dims > 4 || nameLength <= 0 || nameLength > 256) {
            throw new BadModelException(path + " has a damaged tensor record: the file is damaged. Fetch it again.");
        }
        long elements = 1;
        for (int i = 0; i < dims; i++) {
            int n = in.int32();
            if (n <= 0) {
                throw new BadModelException(
                        path + " has a damaged tensor record: the file is damaged. Fetch it again.");
            }
            elements *= n;
        }
        in.skip(nameLength);
        in.skip(dataBytes(path, type, elements));
    }

    /** Bytes of a tensor's data by ggml type: whole-element types, and the block-quantized ones. */
    private static long dataBytes(Path path, int type, long elements) {
        return switch (type) {
            case 0 -> elements * 4; // F32
            case 1 -> elements * 2; // F16
            case 2 -> elements / 32 * 18; // Q4_0
            case 3 -> elements / 32 * 20; // Q4_1
            case 6 -> elements / 32 * 22; // Q5_0
            case 7 -> elements / 32 * 24; // Q5_1
            case 8 -> elements / 32 * 34; // Q8_0
            default ->
                throw new BadModelException(path + " uses tensor type " + type
                        + ", which Hark's Whisper cannot read: use an F16 or Q4/Q5/Q8 ggml model");
        };
    }

    private static boolean allPositive(int[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (values[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    /** ggml files are little-endian; DataInputStream reads big-endian. */
    private record LittleEndian(DataInputStream in) {

        int int32() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException();
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        boolean atEnd() throws IOException {
            in.mark(1);
            int next = in.read();
            if (next < 0) {
                return true;
            }
            in.reset();
            return false;
        }
    }

    /** The model file cannot be used; the message says why, for a person. */
    public static final class BadModelException extends RuntimeException {
        public BadModelException(String message) {
            super(message);
        }
    }
}
