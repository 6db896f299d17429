package hark.platform.audio;

import hark.platform.storage.objects.MissingObjectException;
import hark.platform.storage.objects.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells the containers Hark takes from other files by their first bytes (their "magic numbers"),
 * so that a photo or a document renamed to .mp3 is refused while it is being uploaded instead of
 * failing minutes later in audio preparation. A match means "worth handing to ffmpeg", not
 * "certainly decodes": ffmpeg's probe in audio-prep stays the real test, and this check only has
 * to be cheap and never refuse a real recording.
 *
 * <p>The container is not compared with the file's extension: phones and browsers often name an
 * M4A ".mp3" or a WebM ".ogg", and ffmpeg reads the content whatever the name says.
 *
 * <p>MPEG transport streams (a 0x47 byte every 188) are not taken: in the first {@value #HEAD_BYTES}
 * bytes their sync is a lone "G", which starts GIF images and plenty of text, and none of the
 * extensions Hark accepts names a transport stream.
 */
public final class AudioSignature {

    /** How much of a file's start the check looks at; a shorter file is too short to be a recording. */
    public static final int HEAD_BYTES = 64;

    private static final int ID3_HEADER = 10;
    // Some taggers stack a second tag; more than a few is not a recording.
    private static final int MAX_ID3_TAGS = 3;

    /** Said to the client after a refusal, so that they know what to send instead. */
    public static final String TAKES = "Hark takes WAV, MP3, AAC, FLAC, Ogg (Vorbis or Opus), MP4/M4A and WebM audio.";

    private static final byte[] W64_RIFF =
            bytes(0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00);
    private static final byte[] W64_WAVE =
            bytes(0x77, 0x61, 0x76, 0x65, 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A);
    private static final byte[] EBML = bytes(0x1A, 0x45, 0xDF, 0xA3);
    private static final byte[] MPEG_PACK = bytes(0x00, 0x00, 0x01, 0xBA);
    private static final byte[] PNG = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    private static final byte[] JPEG = bytes(0xFF, 0xD8, 0xFF);
    private static final byte[] OLE = bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);
    private static final byte[] ELF = bytes(0x7F, 'E', 'L', 'F');
    private static final byte[] SEVEN_ZIP = bytes('7', 'z', 0xBC, 0xAF, 0x27, 0x1C);

    private AudioSignature() {}

    /** The container {@code head} starts, such as WAV or MP4; empty when it is none Hark takes. */
    public static Optional<Container> recognise(byte[] head) {
        return recognise(head, head.length);
    }

    /** As {@link #recognise(byte[])}, over the first {@code length} bytes of {@code head}. */
    public static Optional<Container> recognise(byte[] head, int length) {
        int n = Math.min(length, head.length);
        if (at(head, n, 8, "WAVE")) {
            if (at(head, n, 0, "RIFF")) {
                return Optional.of(Container.WAV);
            }
            // RF64 and BW64 are WAV's 64-bit-size variants, written by recorders for files over 4 GB.
            if (at(head, n, 0, "RF64") || at(head, n, 0, "BW64")) {
                return Optional.of(Container.RF64);
            }
        }
        if (at(head, n, 0, W64_RIFF) && at(head, n, 24, W64_WAVE)) {
            return Optional.of(Container.WAVE64);
        }
        if (at(head, n, 0, "fLaC")) {
            return Optional.of(Container.FLAC);
        }
        if (at(head, n, 0, "OggS")) {
            return Optional.of(Container.OGG);
        }
        // An ID3v2 tag fronts most MP3s, and sometimes AAC or FLAC; ffmpeg looks past it.
        if (at(head, n, 0, "ID3")) {
            return Optional.of(Container.ID3);
        }
        if (at(head, n, 0, EBML)) {
            return Optional.of(Container.WEBM);
        }
        if (at(head, n, 0, "#!AMR")) {
            return Optional.of(Container.AMR);
        }
        if (at(head, n, 0, MPEG_PACK)) {
            return Optional.of(Container.MPEG_PROGRAM_STREAM);
        }
        if (at(head, n, 4, "ftyp")) {
            // HEIC and AVIF photos are ISO media files too, told apart only by their brand.
            return imageBrand(head, n) ? Optional.empty() : Optional.of(Container.MP4);
        }
        // Older QuickTime and MP4 files have no ftyp box and start straight with another box.
        if (at(head, n, 4, "moov")
                || at(head, n, 4, "mdat")
                || at(head, n, 4, "wide")
                || at(head, n, 4, "free")
                || at(head, n, 4, "skip")) {
            return Optional.of(Container.QUICKTIME);
        }
        return frameSync(head, n);
    }

    /**
     * The container of a stored file. Behind an ID3 tag (which fronts MP3, and sometimes AAC or
     * FLAC) it looks at what the tag precedes: a tag in front of anything else, such as a playlist
     * naming other files, is not audio. Empty when the file is none Hark takes.
     */
    public static Optional<Container> recognise(Path file) throws IOException {
        try (var channel = Files.newByteChannel(file)) {
            return recognise((offset, into) -> {
                channel.position(offset);
                return readFully(channel, into);
            });
        }
    }

    /** {@link #recognise(Path)} of a stored object, reading only the heads it needs. */
    public static Optional<Container> recognise(ObjectStore objects, String key) throws IOException {
        long size = objects.size(key).orElseThrow(() -> new MissingObjectException(key));
        return recognise((offset, into) -> {
            if (offset >= size) {
                return 0;
            }
            try (InputStream in = objects.open(key, offset, offset + into.length - 1)) {
                return in.readNBytes(into, 0, into.length);
            }
        });
    }

    /** Reads bytes from {@code offset} into the array; answers how many there were. */
    private interface Heads {
        int read(long offset, byte[] into) throws IOException;
    }

    private static Optional<Container> recognise(Heads heads) throws IOException {
        long offset = 0;
        for (int tags = 0; tags < MAX_ID3_TAGS; tags++) {
            byte[] head = new byte[HEAD_BYTES];
            int n = heads.read(offset, head);
            Optional<Container> found = recognise(head, n);
            if (found.isEmpty() || found.get() != Container.ID3) {
                return found;
            }
            if (n < ID3_HEADER) {
                return Optional.empty();
            }
            // ID3v2: a 10-byte header whose last four bytes are the size in 7-bit bytes, and a
            // 10-byte footer when flag 0x10 says so.
            long size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
            offset += ID3_HEADER + size + ((head[5] & 0x10) != 0 ? ID3_HEADER : 0);
        }
        return Optional.empty();
    }

    private static int readFully(java.nio.channels.SeekableByteChannel channel, byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            // keep reading: a channel may return fewer bytes than asked
        }
        return buffer.position();
    }

    /**
     * What a head that is not audio looks like, in plain words that follow "its content is":
     * "text", "a PNG image", "an unknown format"...
     */
    public static String describe(byte[] head, int length) {
        int n = Math.min(length, head.length);
        if (allZero(head, n)) {
            return "only zero bytes";
        }
        if (at(head, n, 0, PNG)) {
            return "a PNG image";
        }
        if (at(head, n, 0, JPEG)) {
            return "a JPEG image";
        }
        if (at(head, n, 0, "GIF87a") || at(head, n, 0, "GIF89a")) {
            return "a GIF image";
        }
        if (at(head, n, 0, "RIFF") && at(head, n, 8, "WEBP")) {
            return "a WebP image";
        }
        if (at(head, n, 0, "II*\0") || at(head, n, 0, "MM\0*")) {
            return "a TIFF image";
        }
        if (at(head, n, 4, "ftyp") && imageBrand(head, n)) {
            return "a HEIC or AVIF image";
        }
        if (at(head, n, 0, "RIFF") && at(head, n, 8, "AVI ")) {
            return "an AVI video";
        }
        if (at(head, n, 0, "%PDF-")) {
            return "a PDF document";
        }
        if (at(head, n, 0, "PK\u0003\u0004")) {
            return "a ZIP archive (or an Office document)";
        }
        if (at(head, n, 0, OLE)) {
            return "an old-style Office document";
        }
        if (at(head, n, 0, bytes(0x1F, 0x8B))) {
            return "a gzip archive";
        }
        if (at(head, n, 0, SEVEN_ZIP) || at(head, n, 0, "Rar!")) {
            return "a compressed archive";
        }
        if (text(head, n)) {
            return "text";
        }
        if (at(head, n, 0, ELF) || at(head, n, 0, "MZ")) {
            return "a program";
        }
        return "an unknown format";
    }

    /** The 415 message for a file whose first bytes are {@code head} and whose size is {@code size}. */
    public static String refusal(byte[] head, int length, long size) {
        if (size < HEAD_BYTES) {
            return "The file is not audio Hark can read: it is only " + size + (size == 1 ? " byte" : " bytes")
                    + " long. " + TAKES;
        }
        return "The file is not audio Hark can read: its content is " + describe(head, length) + ". " + TAKES;
    }

    /**
     * An MPEG audio frame (MP3, MP2) or an ADTS AAC frame. Both start with 11 or 12 set bits; the
     * next bits are checked for reserved values too, which no encoder writes, so that a binary file
     * that merely starts with 0xFF 0xE0 is not taken. Leading zero bytes are skipped: some MP3s
     * carry padding before their first frame, and ffmpeg reads them.
     */
    private static Optional<Container> frameSync(byte[] head, int n) {
        int i = 0;
        while (i < n && head[i] == 0) {
            i++;
        }
        if (i + 1 >= n || (head[i] & 0xFF) != 0xFF || (head[i + 1] & 0xE0) != 0xE0) {
            return Optional.empty();
        }
        int b1 = head[i + 1] & 0xFF;
        // 0xFF 0xFE is the byte-order mark of UTF-16 text, far likelier than the MPEG-1 Layer I
        // frame with CRC it would also be.
        if (i == 0 && b1 == 0xFE) {
            return Optional.empty();
        }
        if ((b1 & 0xF6) == 0xF0) {
            // 12-bit sync and layer 0: ADTS (0xFFF1 for MPEG-4 AAC, 0xFFF9 for MPEG-2 AAC).
            return Optional.of(Container.AAC);
        }
        int version = (b1 >> 3) & 0x3;
        int layer = (b1 >> 1) & 0x3;
        if (version == 1 || layer == 0) {
            return Optional.empty();
        }
        if (i + 2 < n) {
            int b2 = head[i + 2] & 0xFF;
            if ((b2 >> 4) == 0xF || ((b2 >> 2) & 0x3) == 0x3) {
                return Optional.empty(); // a bad bitrate or sample rate index
            }
        }
        return Optional.of(layer == 1 ? Container.MP3 : Container.MPEG_AUDIO);
    }

    private static boolean imageBrand(byte[] head, int n) {
        for (String brand :
                new String[] {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"}) {
            if (at(head, n, 8, brand)) {
                return true;
            }
        }
        return false;
    }

    /**
     * UTF-8 (which covers ASCII) without control characters other than white space, or anything
     * after a UTF-16 byte-order mark. The head may end inside a character, which is allowed.
     */
    private static boolean text(byte[] head, int n) {
        if (at(head, n, 0, bytes(0xFF, 0xFE)) || at(head, n, 0, bytes(0xFE, 0xFF))) {
            return true;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(n);
        CoderResult result = utf8.decode(ByteBuffer.wrap(head, 0, n), chars, false);
        if (result.isError()) {
            return false;
        }
        chars.flip();
        if (!chars.hasRemaining()) {
            return false;
        }
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] head, int n) {
        for (int i = 0; i < n; i++) {
            if (head[i] != 0) {
                return false;
            }
        }
        return n > 0;
    }

    private static boolean at(byte[] head, int n, int offset, String ascii) {
        return at(head, n, offset, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean at(byte[] head, int n, int offset, byte[] expected) {
        if (offset + expected.length > n) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (head[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
