package hark.standalone;

import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hark as {@code ./hark up} runs it — its own embedded broker and database in a data folder, all
 * four services in one process — driven over HTTP with a real English recording.
 */
class EndToEndTest {

    @TempDir
    static Path data;
    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static WebTestClient web;

    @BeforeAll
    static void start() {
        infrastructure = LocalInfrastructure.start(data, Map.of());
        hark = Hark.run(data, infrastructure.settings(), "--server.port=0");
        web = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + hark.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        hark.close();
        infrastructure.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRealRecordingUploadedOverHttpIsTranscribedWithHonestProgress() {
        SpeechClip clip = SpeechClip.PRIMARY;
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(TestAudio.speech(clip.file(), data)))
                .filename(clip.file()).contentType(MediaType.parseMediaType("audio/wav"));

        Map<String, Object> node = web.post().uri("/api/nodes").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(node).containsEntry("transcription_status", "pending");
        Object id = node.get("id");

        List<String> statuses = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        Map<String, Object> last = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    var result = web.get().uri("/api/nodes/{id}/transcription-status", id).exchange()
                            .expectBody(Map.class).returnResult();
                    if (result.getStatus().value() == 404) {
                        return null; // the view has not folded the upload yet
                    }
                    Map<String, Object> status = result.getResponseBody();
                    if (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(status.get("status"))) {
                        statuses.add((String) status.get("status"));
                    }
                    progress.add((Integer) status.get("progress"));
                    return status;
                }, s -> s != null && ("completed".equals(s.get("status")) || "failed".equals(s.get("status"))));

        assertThat(last).containsEntry("status", "completed").containsEntry("progress", 100)
                .containsEntry("error", null);
        assertThat(List.of("pending", "processing", "completed")).containsSubsequence(statuses);
        assertThat(statuses).contains("processing", "completed");
        assertThat(progress).isSorted();
        String transcript = (String) last.get("content");
        assertThat(transcript).contains(clip.keyWords());

        web.get().uri("/api/nodes/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.content").isEqualTo(transcript);
        web.get().uri("/").exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("audio_file"));
    }
}
