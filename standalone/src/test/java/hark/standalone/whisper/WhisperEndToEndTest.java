package hark.standalone.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import hark.standalone.Hark;
import hark.standalone.HarkClient;
import hark.standalone.LocalInfrastructure;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import hark.testing.TinyWhisperModel;
import hark.testing.WhisperWorkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * {@code HARK_ENGINE=whisper ./hark up} with a model the test writes (no real weights can be had
 * here): it says "Hello world" from 0 to 1 s in any audio, so the words and times that come out at
 * the end of the pipeline are known.
 */
class WhisperEndToEndTest {

    @TempDir
    static Path data;

    static Path model;
    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static HarkClient user;

    @BeforeAll
    static void start() throws IOException {
        model = data.resolve("models/ggml-tiny.bin");
        Files.createDirectories(model.getParent());
        TinyWhisperModel.write(model, " Hello world");
        infrastructure = LocalInfrastructure.start(data, Map.of());
        // Chunks of at most 6 s, so a 10 s recording is transcribed as two chunks.
        hark = Hark.run(
                data,
                infrastructure.settings(),
                "--server.port=0",
                "--hark.transcribe.engine=whisper",
                "--hark.whisper.model=" + model,
                "--hark.prep.chunk-seconds=6",
                "--hark.prep.min-chunk-seconds=6",
                "--hark.kafka.retry.attempts=1");
        user = HarkClient.signUp(hark, "listener");
    }

    @AfterAll
    static void stop() {
        if (hark != null) {
            hark.close();
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    @Test
    void aRecordingIsTranscribedByWhisperWithItsTimesInTheSubtitlesAndItsLanguage() {
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), data);
        Path recording = TestAudio.joinWithPauses(data.resolve("two-sentences.wav"), 5.0, first, second);

        long id = user.upload(recording);
        Map<String, Object> end = user.awaitEnd(id, Duration.ofMinutes(3));

        assertThat(end).containsEntry("status", "completed").containsEntry("chunks_total", 2);
        assertThat(end).containsEntry("content", "Hello world\n\nHello world").containsEntry("language", "en");
        var srt = user.web()
                .get()
                .uri("/api/nodes/{id}/transcript?format=srt", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_LANGUAGE, "en")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        // Each chunk's segment on the recording's timeline: the second chunk starts where the first ends.
        assertThat(srt).startsWith("1\n00:00:00,000 --> 00:00:01,000\nHello world\n");
        assertThat(srt).containsPattern("2\n00:00:0[4-6],\\d{3} --> 00:00:0[5-7],\\d{3}\nHello world");
    }

    @Test
    void aModelRemovedWhileHarkRunsFailsTheNextJobWithTheReasonAndHarkGoesOn() throws IOException {
        try {
            Files.move(model, model.resolveSibling("elsewhere.bin"));
            // The workers hold the model in memory; one that ends (as after a crash) must load it again.
            WhisperWorkers.kill();

            long id = user.upload(TestAudio.speech(SpeechClip.PRIMARY.file(), data));
            Map<String, Object> end = user.awaitEnd(id, Duration.ofMinutes(3));

            assertThat(end).containsEntry("status", "failed");
            assertThat((String) end.get("error")).contains("There is no Whisper model at " + model);
        } finally {
            Files.move(model.resolveSibling("elsewhere.bin"), model);
        }
        long again = user.upload(TestAudio.speech(SpeechClip.PRIMARY.file(), data));
        assertThat(user.awaitEnd(again, Duration.ofMinutes(3)))
                .as("the model is back: the next job is transcribed")
                .containsEntry("status", "completed")
                .containsEntry("content", "Hello world");
    }
}
