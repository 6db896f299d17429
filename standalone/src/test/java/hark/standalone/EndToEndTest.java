package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hark as {@code ./hark up} runs it — its own embedded broker and database in a data folder, all
 * four services in one process — driven over HTTP with a real English recording.
 */
class EndToEndTest {

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static HarkClient newcomer;
    static WebTestClient web;

    @BeforeAll
    static void start() {
        infrastructure = LocalInfrastructure.start(data, Map.of());
        // Chunks of at most 6 s, so a 10 s recording shows the long-recording path.
        hark = Hark.run(
                data,
                infrastructure.settings(),
                "--server.port=0",
                "--hark.prep.chunk-seconds=6",
                "--hark.prep.min-chunk-seconds=6");
        // Accounts are on: sign up as a newcomer would, and send the token from then on.
        newcomer = HarkClient.signUp(hark, "newcomer");
        web = newcomer.web();
    }

    @AfterAll
    static void stop() {
        hark.close();
        infrastructure.close();
    }

    @Test
    void aRealRecordingUploadedOverHttpIsTranscribedWithHonestProgress() {
        SpeechClip clip = SpeechClip.PRIMARY;
        Path recording = TestAudio.speech(clip.file(), data);

        Map<String, Object> last = uploadAndFollow(recording);

        assertThat((String) last.get("content")).contains(clip.keyWords()).doesNotContain("\n\n");
        assertThat(last.get("chunks_total")).isEqualTo(1);
        web.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("audio_file"));
    }

    @Test
    void aLongerRecordingIsCutIntoChunksWhoseTextsJoinInOrderWithABlankLine() {
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), data);
        Path recording = TestAudio.joinWithPauses(data.resolve("two-sentences.wav"), 5.0, first, second);

        Map<String, Object> last = uploadAndFollow(recording);

        assertThat(last.get("chunks_total")).isEqualTo(2);
        String[] paragraphs = ((String) last.get("content")).split("\n\n");
        assertThat(paragraphs).hasSize(2);
        assertThat(paragraphs[0]).contains(SpeechClip.PRIMARY.keyWords());
        assertThat(paragraphs[1]).contains(SpeechClip.SECOND.keyWords());
    }

    /** Uploads over HTTP, polls as the page does, and checks what a person watching would expect. */
    private Map<String, Object> uploadAndFollow(Path recording) {
        long id = newcomer.upload(recording);

        List<String> statuses = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        Map<String, Object> last = await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            Map<String, Object> status = newcomer.status(id);
                            if (status == null) {
                                return null; // the view has not folded the upload yet
                            }
                            if (statuses.isEmpty()
                                    || !statuses.get(statuses.size() - 1).equals(status.get("status"))) {
                                statuses.add((String) status.get("status"));
                            }
                            progress.add((Integer) status.get("progress"));
                            return status;
                        },
                        s -> s != null && ("completed".equals(s.get("status")) || "failed".equals(s.get("status"))));

        assertThat(last)
                .containsEntry("status", "completed")
                .containsEntry("progress", 100)
                .containsEntry("error", null);
        assertThat(List.of("pending", "processing", "completed")).containsSubsequence(statuses);
        assertThat(statuses).contains("processing", "completed");
        assertThat(progress).isSorted();
        web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.content")
                .isEqualTo(last.get("content"));
        return last;
    }
}
