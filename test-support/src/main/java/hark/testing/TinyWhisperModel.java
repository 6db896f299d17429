package hark.testing;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a tiny (~330 KB) but structurally valid whisper.cpp ggml model (the legacy
 * {@code ggml-*.bin} format read by whisper.cpp 1.7.x / whisper-jni 1.7.1) whose decoder
 * emits a fixed text, whatever audio it is given.
 *
 * <h2>How the model works</h2>
 * The audio encoder and every attention layer have all-zero weights, so the decoder never
 * sees the audio nor earlier tokens: the next token depends only on the current token.
 * That turns the decoder into a hand-made "bigram" lookup table:
 * <pre>
 *   &lt;|transcribe|&gt; -&gt; &lt;|start|&gt; -&gt; TEXT -&gt; &lt;|end|&gt; -&gt; &lt;|30.00|&gt; -&gt; &lt;|endoftext|&gt;
 *   &lt;|notimestamps|&gt; -&gt; TEXT' -&gt; &lt;|endoftext|&gt;           (no-timestamps mode)
 *   &lt;|startoftranscript|&gt; -&gt; &lt;|lang|&gt;                    (language detection)
 * </pre>
 * The model is 3 wide. A layer norm removes the mean of a vector, so everything the decoder
 * computes lies in a 2-D plane of that 3-D space. Each token that matters gets an embedding on
 * a circle in that plane, in one of six 60-degree "slots". The decoder MLP turns the current
 * token's embedding 60 degrees forward. Whisper ties the output projection to the token embedding,
 * so the logit of token v is dot(embedding[v], hidden). The next token is therefore the one in the
 * next slot. All other tokens have a zero embedding, so their logit is exactly 0. Whisper's
 * own logit filters (timestamp pairing, suppressed special tokens) settle which of the
 * tokens sharing a slot is chosen.
 *
 * <p>The text is one vocabulary token, so any string works (but whisper-jni 1.7.1 returns
 * characters outside the BMP, e.g. emoji, garbled). Whisper.cpp counts time in 20 ms
 * timestamp tokens, so start and end are rounded to 20 ms. Most of the file is the token
 * embedding (51865 x 3 F16 = 311 KB); it cannot shrink because whisper.cpp derives the special
 * token ids from the vocabulary size.
 *
 * <p>What whisper.cpp then does: audio shorter than 1 s gives no segment (whisper.cpp skips it);
 * up to 30 s gives exactly one segment [start, end]; longer audio gives one segment per
 * 30 s window. Greedy, beam search, initial prompts, context carry-over, "auto" language and
 * translate all give the same text.
 */
public final class TinyWhisperModel {

    // --- hyper-parameters ------------------------------------------------------------------
    /** 51865 = multilingual vocabulary: gives language tokens, task tokens and language detection. */
    private static final int N_VOCAB = 51865;
    /** Model width. 3 is the least that leaves a 2-D plane after layer norm removes the mean. */
    private static final int D = 3;
    /** 1500 encoder positions = a 30 s window; keeps whisper's timestamp arithmetic standard. */
    private static final int N_AUDIO_CTX = 1500;
    /**
     * Text context (real models: 448). whisper.cpp sizes the decoder's work buffer for n_text_ctx
     * tokens x n_vocab logits (448 -> ~95 MB per state, 64 -> ~14 MB). 64 still fits the longest
     * prompt whisper builds (1 + 32 past/initial-prompt tokens + 3) plus 28 decode steps.
     */
    private static final int N_TEXT_CTX = 64;
    /** One mel band is enough (the encoder ignores its input) and keeps the filter table small. */
    private static final int N_MELS = 1;
    /** whisper.cpp needs n_fft == 1 + 400/2. */
    private static final int N_FFT = 201;
    /** ftype 1 = "mostly F16": whisper.cpp then expects matrices and convolutions in F16. */
    private static final int FTYPE_F16 = 1;

    private static final int GGML_F32 = 0;
    private static final int GGML_F16 = 1;

    // --- token ids whisper.cpp derives from n_vocab == 51865 ----------------------------------
    private static final int EOT = 50257;
    private static final int SOT = 50258;
    private static final int LANG_0 = 50259; // + whisper language id
    private static final int TRANSLATE = 50358;
    private static final int TRANSCRIBE = 50359;
    private static final int NO_TIMESTAMPS = 50363;
    private static final int TIMESTAMP_0 = 50364; // <|0.00|>; token + k means k * 20 ms
    private static final int MAX_TIMESTAMP = 1500; // <|30.00|>, the last token of the vocabulary

    // --- the few "real" vocabulary entries; all other ids are named by whisper.cpp itself ---
    /** whisper.cpp's blank suppression calls token_to_id.at(" "), which aborts the process if it is missing. */
    private static final int BLANK = 0;

    private static final int TEXT = 1;
    /** Same string as TEXT, used when timestamps are off; a separate id makes the chains independent. */
    private static final int TEXT_NO_TS = 2;

    /** whisper.cpp's language ids (order of g_lang), so that "de" maps to the right token. */
    private static final List<String> LANGUAGES =
            Arrays.asList(("en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no "
                            + "th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw "
                            + "gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl "
                            + "mg as tt haw ln ha ba jw su")
                    .split(" "));

    /** Embedding radius; with OUT_GAIN it sets the logit scale: next token ~ 69, runner-up ~ 35, others 0. */
    private static final double RADIUS = 1.0;

    private static final double OUT_GAIN = 40.0;

    private TinyWhisperModel() {}

    /** Model that says {@code text} from 0.00 s to 1.00 s and detects English. */
    public static void write(Path file, String text) throws IOException {
        write(file, text, 0, 1000, "en");
    }

    /**
     * @param startMs  segment start; whisper rejects first timestamps above
     *                 {@code maxInitialTs} (default 1 s), so keep it at most 1000
     * @param endMs    segment end, {@code startMs < endMs < 30000}
     * @param language whisper language code that auto-detection will return, e.g. "en", "de"
     */
    public static void write(Path file, String text, int startMs, int endMs, String language) throws IOException {
        int start = Math.round(startMs / 20f);
        int end = Math.round(endMs / 20f);
        int lang = LANGUAGES.indexOf(language);
        if (text.isEmpty() || start < 0 || end <= start || end >= MAX_TIMESTAMP || lang < 0) {
            throw new IllegalArgumentException("need text, 0 <= start < end < 30 s, known language");
        }

        // Put tokens in slots; slot k is at angle k * 60 degrees and the MLP maps slot k to slot k+1.
        // Several tokens may share a slot when whisper's filters never let them compete:
        // sot/task/no-timestamps/language tokens are always suppressed as outputs, timestamps and
        // text exclude each other after a timestamp, and language detection only compares language tokens.
        float[] tokenEmbedding = new float[N_VOCAB * D];
        int[][] slots = {
            {SOT, TRANSCRIBE, TRANSLATE}, // prompt ends here ...
            {TIMESTAMP_0 + start, LANG_0 + lang}, // ... so this comes first
            {TEXT},
            {TIMESTAMP_0 + end, NO_TIMESTAMPS},
            // <|30.00|> after the end timestamp makes whisper move to the next 30 s window, so
            // audio of up to 30 s gives a single segment instead of one every (end) seconds.
            {TIMESTAMP_0 + MAX_TIMESTAMP, TEXT_NO_TS},
            {EOT},
        };
        for (int slot = 0; slot < slots.length; slot++) {
            float[] e = planeVector(Math.toRadians(60 * slot), RADIUS);
            for (int token : slots[slot]) {
                System.arraycopy(e, 0, tokenEmbedding, token * D, D);
            }
        }

        // Written beside the target and moved into place: a half-written model must never be loaded.
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16))) {
            writeInt(out, 0x67676d6c); // "ggml" magic
            for (int v : new int[] {N_VOCAB, N_AUDIO_CTX, D, 1, 1, N_TEXT_CTX, D, 1, 1, N_MELS, FTYPE_F16}) {
                writeInt(out, v);
            }
            // Mel filter bank: all zero; the encoder ignores its input anyway.
            writeInt(out, N_MELS);
            writeInt(out, N_FFT);
            out.write(new byte[N_MELS * N_FFT * 4]);

            // Vocabulary: only the first ids; whisper.cpp names the rest ("[_EOT_]", "[_TT_50]", ...).
            byte[][] words = {
                " ".getBytes(StandardCharsets.UTF_8),
                text.getBytes(StandardCharsets.UTF_8),
                text.getBytes(StandardCharsets.UTF_8)
            };
            writeInt(out, words.length);
            for (byte[] w : words) {
                writeInt(out, w.length);
                out.write(w);
            }

            writeEncoder(out);
            writeDecoder(out, tokenEmbedding);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeEncoder(DataOutputStream out) throws IOException {
        // All zero: the encoder output is exactly 0 (not NaN), and the decoder ignores it anyway.
        tensor(out, "encoder.positional_embedding", GGML_F32, null, D, N_AUDIO_CTX);
        tensor(out, "encoder.conv1.weight", GGML_F16, null, 3, N_MELS, D);
        tensor(out, "encoder.conv1.bias", GGML_F32, null, 1, D);
        tensor(out, "encoder.conv2.weight", GGML_F16, null, 3, D, D);
        tensor(out, "encoder.conv2.bias", GGML_F32, null, 1, D);
        tensor(out, "encoder.ln_post.weight", GGML_F32, null, D);
        tensor(out, "encoder.ln_post.bias", GGML_F32, null, D);
        String p = "encoder.blocks.0.";
        attention(out, p + "attn");
        tensor(out, p + "mlp_ln.weight", GGML_F32, null, D);
        tensor(out, p + "mlp_ln.bias", GGML_F32, null, D);
        tensor(out, p + "mlp.0.weight", GGML_F16, null, D, 4 * D);
        tensor(out, p + "mlp.0.bias", GGML_F32, null, 4 * D);
        tensor(out, p + "mlp.2.weight", GGML_F16, null, 4 * D, D);
        tensor(out, p + "mlp.2.bias", GGML_F32, null, D);
    }

    private static void writeDecoder(DataOutputStream out, float[] tokenEmbedding) throws IOException {
        // Zero positional embedding: the output must not depend on where the prompt ends
        // (initial prompts and previous-window context shift positions).
        tensor(out, "decoder.positional_embedding", GGML_F32, null, D, N_TEXT_CTX);
        tensor(out, "decoder.token_embedding.weight", GGML_F16, tokenEmbedding, D, N_VOCAB);
        // Final layer norm: its gain scales all logits (the logit gap is what makes decoding certain).
        tensor(out, "decoder.ln.weight", GGML_F32, filled(D, OUT_GAIN), D);
        tensor(out, "decoder.ln.bias", GGML_F32, null, D);

        String p = "decoder.blocks.0.";
        attention(out, p + "attn"); // zero output: ignores earlier tokens
        attention(out, p + "cross_attn"); // zero output: ignores the audio

        // MLP = "turn 60 degrees forward". Hidden units come in pairs gelu(z), gelu(-z), and
        // gelu(z) - gelu(-z) == z exactly, so the MLP is exactly linear: x + A * layernorm(x).
        // layernorm(e) = sqrt(3)/RADIUS * e for our embeddings, so A = RADIUS/sqrt(3) * (R - I)
        // gives x + A*layernorm(x) = R * x: the embedding of the next slot.
        tensor(out, p + "mlp_ln.weight", GGML_F32, filled(D, 1), D);
        tensor(out, p + "mlp_ln.bias", GGML_F32, null, D);
        float[] w0 = new float[4 * D * D]; // rows = hidden units, columns = inputs
        for (int i = 0; i < D; i++) {
            w0[i * D + i] = 1; // hidden i     = gelu(+z_i)
            w0[(D + i) * D + i] = -1; // hidden D + i = gelu(-z_i)
        }
        tensor(out, p + "mlp.0.weight", GGML_F16, w0, D, 4 * D);
        tensor(out, p + "mlp.0.bias", GGML_F32, null, 4 * D);
        double[][] a = rotationMinusIdentity(Math.toRadians(60));
        float[] w2 = new float[D * 4 * D]; // rows = outputs, columns = hidden units
        for (int r = 0; r < D; r++) {
            for (int c = 0; c < D; c++) {
                float v = (float) (a[r][c] * RADIUS / Math.sqrt(3));
                w2[r * 4 * D + c] = v;
                w2[r * 4 * D + D + c] = -v;
            }
        }
        tensor(out, p + "mlp.2.weight", GGML_F16, w2, 4 * D, D);
        tensor(out, p + "mlp.2.bias", GGML_F32, null, D);
    }

    /** Layer norm + q/k/v/out projections, all zero, so the block adds exactly 0. */
    private static void attention(DataOutputStream out, String prefix) throws IOException {
        tensor(out, prefix + "_ln.weight", GGML_F32, null, D);
        tensor(out, prefix + "_ln.bias", GGML_F32, null, D);
        tensor(out, prefix + ".query.weight", GGML_F16, null, D, D);
        tensor(out, prefix + ".query.bias", GGML_F32, null, D);
        tensor(out, prefix + ".key.weight", GGML_F16, null, D, D);
        tensor(out, prefix + ".value.weight", GGML_F16, null, D, D);
        tensor(out, prefix + ".value.bias", GGML_F32, null, D);
        tensor(out, prefix + ".out.weight", GGML_F16, null, D, D);
        tensor(out, prefix + ".out.bias", GGML_F32, null, D);
    }

    // --- geometry --------------------------------------------------------------------------

    /** Orthonormal basis of the zero-mean plane of R^3 (the space layer norm projects onto). */
    private static final double[] P1 = {1 / Math.sqrt(2), -1 / Math.sqrt(2), 0};

    private static final double[] P2 = {1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)};

    private static float[] planeVector(double angle, double radius) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = (float) (radius * (Math.cos(angle) * P1[i] + Math.sin(angle) * P2[i]));
        }
        return v;
    }

    /** (R - I) for R = rotation by {@code angle} within the zero-mean plane. */
    private static double[][] rotationMinusIdentity(double angle) {
        double c = Math.cos(angle) - 1, s = Math.sin(angle);
        double[][] m = new double[D][D];
        for (int r = 0; r < D; r++) {
            for (int k = 0; k < D; k++) {
                m[r][k] = c * (P1[r] * P1[k] + P2[r] * P2[k]) + s * (P2[r] * P1[k] - P1[r] * P2[k]);
            }
        }
        return m;
    }

    // --- ggml serialisation ----------------------------------------------------------------

    /**
     * One tensor record: n_dims, name length, type, dims (ggml order, fastest first), name, data.
     * {@code data == null} writes zeros.
     */
    private static void tensor(DataOutputStream out, String name, int type, float[] data, int... ne)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, ne.length);
        writeInt(out, nameBytes.length);
        writeInt(out, type);
        int n = 1;
        for (int d : ne) {
            writeInt(out, d);
            n *= d;
        }
        out.write(nameBytes);
        ByteBuffer bytes = ByteBuffer.allocate(n * (type == GGML_F16 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; data != null && i < n; i++) {
            if (type == GGML_F16) {
                bytes.putShort(toHalf(data[i]));
            } else {
                bytes.putFloat(data[i]);
            }
        }
        out.write(bytes.array());
    }

    private static float[] filled(int n, double value) {
        float[] a = new float[n];
        Arrays.fill(a, (float) value);
        return a;
    }

    /** ggml files are little-endian; DataOutputStream is big-endian. */
    private static void writeInt(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }

    /**
     * float -> IEEE half (Java 17 has no Float.floatToFloat16). Values here are O(1); anything
     * below the smallest normal half (6e-5) becomes 0, which is harmless for this model.
     */
    private static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (exp <= 0) {
            return (short) sign;
        }
        if (exp >= 31) {
            throw new IllegalArgumentException("too large for F16: " + f);
        }
        int half = sign | (exp << 10) | (mantissa >> 13);
        if ((mantissa & 0x1000) != 0) {
            half++; // round half up; a carry into the exponent is still the correct result
        }
        return (short) half;
    }
}
