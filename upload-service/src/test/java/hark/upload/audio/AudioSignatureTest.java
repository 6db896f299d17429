package hark.upload.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import hark.platform.audio.AudioSignature;
import hark.platform.audio.Container;
import hark.platform.audio.Ffmpeg;
import hark.testing.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real files, made by the ffmpeg Hark ships, against the signature check. */
class AudioSignatureTest {

    @TempDir
    static Path dir;

    static Path tone;
    static final Ffmpeg ffmpeg = new Ffmpeg();

    @BeforeAll
    static void source() {
        tone = TestAudio.toneWav(dir.resolve("tone.wav"), 1, 16_000);
    }

    static Stream<Arguments> audio() {
        return Stream.of(
                arguments("pcm.wav", List.of("-c:a", "pcm_s16le"), "WAV"),
                arguments("big.wav", List.of("-c:a", "pcm_s16le", "-rf64", "always"), "RF64 WAV"),
                arguments("sony.w64", List.of("-c:a", "pcm_s16le", "-f", "w64"), "Wave64"),
                arguments("tagged.mp3", List.of("-c:a", "libmp3lame"), "MP3 (ID3 tag)"),
                arguments("bare.mp3", List.of("-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0"), "MP3"),
                arguments("layer2.mpga", List.of("-c:a", "mp2", "-f", "mp2"), "MPEG audio"),
                arguments("stream.aac", List.of("-c:a", "aac", "-f", "adts"), "AAC (ADTS)"),
                arguments("voice.m4a", List.of("-c:a", "aac", "-f", "ipod"), "MP4"),
                arguments("video.mp4", List.of("-c:a", "aac", "-f", "mp4"), "MP4"),
                arguments("phone.3gp", List.of("-ar", "8000", "-c:a", "libopencore_amrnb", "-f", "3gp"), "MP4"),
                arguments("lossless.flac", List.of("-c:a", "flac"), "FLAC"),
                arguments("vorbis.ogg", List.of("-c:a", "libvorbis"), "Ogg"),
                arguments("flac.oga", List.of("-c:a", "flac", "-f", "oga"), "Ogg"),
                arguments("voice.opus", List.of("-c:a", "libopus"), "Ogg"),
                arguments("browser.webm", List.of("-c:a", "libopus", "-f", "webm"), "WebM/Matroska"),
                arguments("any.mka", List.of("-c:a", "flac", "-f", "matroska"), "WebM/Matroska"),
                arguments("phone.amr", List.of("-ar", "8000", "-c:a", "libopencore_amrnb", "-f", "amr"), "AMR"),
                arguments("dvd.mpeg", List.of("-c:a", "mp2", "-f", "mpeg"), "MPEG program stream"));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("audio")
    void realAudioIsRecognisedByItsFirstBytes(String name, List<String> encoding, String container) throws IOException {
        Path file = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-i", tone.toString()));
        args.addAll(encoding);
        args.add(file.toString());
        ffmpeg.run(args);

        assertThat(labelOf(head(file))).contains(container);
    }

    @Test
    void theTestSuitesOwnWavIsWav() throws IOException {
        assertThat(labelOf(head(tone))).contains("WAV");
    }

    @Test
    void anMp3WithZeroPaddingBeforeItsFirstFrameIsStillMp3() throws IOException {
        Path bare = dir.resolve("padded-source.mp3");
        ffmpeg.run(List.of(
                "-i",
                tone.toString(),
                "-c:a",
                "libmp3lame",
                "-id3v2_version",
                "0",
                "-write_xing",
                "0",
                bare.toString()));
        byte[] padded = new byte[AudioSignature.HEAD_BYTES];
        System.arraycopy(head(bare), 0, padded, 8, padded.length - 8);

        assertThat(labelOf(padded)).contains("MP3");
    }

    static Stream<Arguments> notAudio() throws IOException {
        return Stream.of(
                arguments(
                        "a note",
                        ascii("Shopping list\n- milk\n- bread\n- the tape recorder from the attic\n"),
                        "text"),
                arguments("UTF-8 cut inside a character", cutUtf8(), "text"),
                arguments("UTF-16 text", utf16(), "text"),
                arguments(
                        "a PDF",
                        ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"),
                        "a PDF document"),
                arguments("a ZIP", zip(), "a ZIP archive (or an Office document)"),
                arguments("a gzip", gzip(), "a gzip archive"),
                arguments("a HEIC photo", heic(), "a HEIC or AVIF image"),
                arguments("a program", elf(), "a program"),
                arguments("zeros", new byte[64], "only zero bytes"),
                arguments("an 0xFF 0xE0 start with a reserved MPEG version", reservedMpeg(), "an unknown format"));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("notAudio")
    void otherFilesAreNotAudioAndSayWhatTheyLookLike(String what, byte[] content, String looksLike) {
        byte[] head = Arrays.copyOf(content, Math.min(content.length, AudioSignature.HEAD_BYTES));

        assertThat(labelOf(head)).isEmpty();
        assertThat(AudioSignature.describe(head, head.length)).isEqualTo(looksLike);
    }

    @Test
    void imagesMadeByFfmpegAreImages() throws IOException {
        for (String[] image :
                new String[][] {{"red.png", "a PNG image"}, {"red.jpg", "a JPEG image"}, {"red.gif", "a GIF image"}}) {
            Path file = dir.resolve(image[0]);
            ffmpeg.run(List.of("-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", file.toString()));
            byte[] head = head(file);

            assertThat(labelOf(head)).as(image[0]).isEmpty();
            assertThat(AudioSignature.describe(head, head.length)).as(image[0]).isEqualTo(image[1]);
        }
    }

    @Test
    void theRefusalSaysWhatTheContentLooksLike() {
        byte[] head = ascii("Dear diary, today I recorded nothing at all, but I uploaded this anyway. ");

        assertThat(AudioSignature.refusal(head, AudioSignature.HEAD_BYTES, 5000))
                .startsWith("The file is not audio Hark can read: its content is text.")
                .contains("Hark takes WAV, MP3");
    }

    @Test
    void aFileShorterThanTheHeadIsRefusedForItsLengthWhateverItStartsWith() {
        // "ID3" is an MP3's first three bytes, but three bytes are not a recording.
        byte[] head = Arrays.copyOf(ascii("ID3"), AudioSignature.HEAD_BYTES);

        assertThat(AudioSignature.refusal(head, 3, 3))
                .startsWith("The file is not audio Hark can read: it is only 3 bytes long.");
        assertThat(AudioSignature.refusal(head, 1, 1)).contains("only 1 byte long.");
    }

    @Test
    void aHeadTooShortForAnySignatureIsNotAudio() {
        assertThat(labelOf(new byte[0])).isEmpty();
        assertThat(labelOf(new byte[] {(byte) 0xFF})).isEmpty();
        assertThat(labelOf(ascii("RIFF\0\0\0\0WAV"))).isEmpty();
        assertThat(AudioSignature.describe(new byte[0], 0)).isEqualTo("an unknown format");
    }

    @Test
    void onlyTheGivenLengthOfTheHeadCounts() {
        byte[] buffer = Arrays.copyOf(ascii("fLaC"), AudioSignature.HEAD_BYTES);

        assertThat(labelOf(buffer, 4)).contains("FLAC");
        assertThat(labelOf(buffer, 3)).isEmpty();
    }

    static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(AudioSignature.HEAD_BYTES);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] cutUtf8() {
        byte[] text = "Grüße aus Köln — ein Sprachmemo über das Wetter am Rhein 🌧 und den Zug"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(text.length).isGreaterThan(AudioSignature.HEAD_BYTES);
        // The emoji's four bytes start at byte 63, so the head ends in the middle of a character.
        assertThat(text[63]).isEqualTo((byte) 0xF0);
        return Arrays.copyOf(text, AudioSignature.HEAD_BYTES);
    }

    private static byte[] utf16() {
        byte[] body = "Meeting notes, Tuesday: nobody brought the recorder.".getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private static byte[] zip() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("recording.mp3"));
            zip.write(new byte[1000]);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bytes)) {
            gz.write(ascii("not audio, just compressed text ".repeat(10)));
        }
        return bytes.toByteArray();
    }

    private static byte[] heic() {
        byte[] head = new byte[AudioSignature.HEAD_BYTES];
        byte[] box = ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic");
        System.arraycopy(box, 0, head, 0, box.length);
        return head;
    }

    private static byte[] elf() {
        byte[] head = new byte[AudioSignature.HEAD_BYTES];
        byte[] magic = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(magic, 0, head, 0, magic.length);
        head[16] = 2;
        head[18] = 0x3E;
        return head;
    }

    private static byte[] reservedMpeg() {
        byte[] head = new byte[AudioSignature.HEAD_BYTES];
        Arrays.fill(head, (byte) 0x55);
        head[0] = (byte) 0xFF;
        head[1] = (byte) 0xEB; // sync, then version bits 01: reserved, so no encoder wrote it
        return head;
    }

    private static java.util.Optional<String> labelOf(byte[] head) {
        return AudioSignature.recognise(head).map(Container::label);
    }

    private static java.util.Optional<String> labelOf(byte[] head, int length) {
        return AudioSignature.recognise(head, length).map(Container::label);
    }
}
