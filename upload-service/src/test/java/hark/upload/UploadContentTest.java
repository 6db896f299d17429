package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.audio.Ffmpeg;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** Uploads judged by their content, over HTTP, with the database and storage checked for leftovers. */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class UploadContentTest extends StageTest {

    static Path files;

    @Autowired
    WebTestClient web;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("ann")))
                .build();
    }

    @BeforeAll
    static void folder() throws IOException {
        files = Files.createTempDirectory("upload-content-test");
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void textNamedMp3Is415AndLeavesNothing() throws Exception {
        String before = Leftovers.of(DB, storage);
        byte[] text = "Agenda: 1. budget 2. the new office 3. who forgot to press record last week\n"
                .repeat(50)
                .getBytes(StandardCharsets.UTF_8);

        upload("note.mp3", bytes("note.mp3", text))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.error")
                .value(m ->
                        assertThat((String) m).startsWith("The file is not audio Hark can read: its content is text."));

        assertThat(Leftovers.of(DB, storage))
                .as("no node, no outbox event, no file")
                .isEqualTo(before);
    }

    @Test
    void pngNamedWavIs415AndLeavesNothing() throws Exception {
        String before = Leftovers.of(DB, storage);
        Path png = files.resolve("photo.png");
        new Ffmpeg().run(List.of("-f", "lavfi", "-i", "color=c=blue:s=64x64", "-frames:v", "1", png.toString()));

        upload("x.wav", new FileSystemResource(png))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("a PNG image"));

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    @Test
    void aThreeByteFileIs415ForItsLength() throws Exception {
        String before = Leftovers.of(DB, storage);

        upload("short.mp3", bytes("short.mp3", "ID3".getBytes(StandardCharsets.US_ASCII)))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("only 3 bytes long"));

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    @Test
    void aRealWavIsAccepted() {
        Path wav = TestAudio.toneWav(files.resolve("tone.wav"), 1, 16_000);

        upload("tone.wav", new FileSystemResource(wav)).expectStatus().isCreated();
    }

    @Test
    void anotherFilePartBeforeTheAudioIsSkippedAndTheAudioAccepted() {
        // The extra part's buffers were released twice (once read past, once discarded), which could
        // free the network buffer the audio after it is sliced from.
        Path wav = TestAudio.toneWav(files.resolve("with-notes.wav"), 1, 16_000);
        var form = new MultipartBodyBuilder();
        form.part("notes", bytes("notes.txt", "remember the milk\n".repeat(2000).getBytes(StandardCharsets.UTF_8)))
                .filename("notes.txt")
                .contentType(MediaType.TEXT_PLAIN);
        form.part("audio_file", new FileSystemResource(wav))
                .filename("tone.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));

        web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isCreated();
    }

    @Test
    void realAudioIsAcceptedWhateverAcceptedNameItCarries() {
        // Phones name M4A recordings all sorts of things; ffmpeg reads the content, so Hark does too.
        Path m4a = files.resolve("voice.m4a");
        new Ffmpeg()
                .run(List.of(
                        "-i",
                        TestAudio.toneWav(files.resolve("src.wav"), 1, 16_000).toString(),
                        "-c:a",
                        "aac",
                        "-f",
                        "ipod",
                        m4a.toString()));

        upload("voice.mp3", new FileSystemResource(m4a)).expectStatus().isCreated();
    }

    private static Resource bytes(String filename, byte[] content) {
        return new ByteArrayResource(Arrays.copyOf(content, content.length)) {
            @Override
            public String getFilename() {
                return filename;
            }
        };
    }

    private WebTestClient.ResponseSpec upload(String filename, Resource body) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", body).filename(filename).contentType(MediaType.parseMediaType("audio/mpeg"));
        return web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }
}
