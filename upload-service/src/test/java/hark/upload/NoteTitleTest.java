package hark.upload;

import static hark.upload.Uploads.part;
import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.objects.LocalObjectStore;
import hark.schemas.AudioUploaded;
import hark.schemas.NoteRetitled;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Note titles: given with the upload or taken from the file name, renamed, and announced. */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class NoteTitleTest extends StageTest {

    static Path files;

    @Autowired
    WebTestClient web;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("tess")))
                .build();
    }

    @BeforeAll
    static void audio() throws IOException {
        files = Files.createTempDirectory("title-test");
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void withoutATitleTheFileNameWithoutItsExtensionIsTheTitleAndTheUploadAnnouncesIt() {
        Map<String, Object> node = created(form("Team meeting.wav"));

        assertThat(node).containsEntry("title", "Team meeting");
        assertThat(titleOf(uploaded(node).titlePath())).isEqualTo("Team meeting");
        // A form whose title box was left empty sends a blank title: the file name stands in too.
        var blank = form("C:\\Users\\tess\\Voice memo 12.wav");
        blank.part("title", "   ");
        assertThat(created(blank)).containsEntry("title", "Voice memo 12");
    }

    @Test
    void aTitlePartIsTheTitleTrimmed() {
        var form = form("rec-0001.wav");
        form.part("title", "  Budget – second round ");

        Map<String, Object> node = created(form);

        assertThat(node).containsEntry("title", "Budget – second round");
        assertThat(titleOf(uploaded(node).titlePath())).isEqualTo("Budget – second round");
        web.get()
                .uri("/api/nodes/{id}", id(node))
                .exchange()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Budget – second round");
    }

    @Test
    void aTitleWithControlCharactersOrTooLongIsRefusedAndTheUploadLeavesNothing() {
        created(form("warm-up.wav")); // so that what is compared below exists
        String before = Leftovers.of(DB, storage);
        for (String title : new String[] {"line\nbreak", "bell\u0007", "nul\u0000", "x".repeat(201)}) {
            var form = form("refused.wav");
            form.part("title", title);
            Uploads.upload(web, form)
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.error")
                    .value(m -> assertThat((String) m).containsIgnoringCase("title"));
        }
        var longest = form("longest.wav");
        longest.part("title", "ü".repeat(200));
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        assertThat(created(longest)).containsEntry("title", "ü".repeat(200));
    }

    @Test
    void theOwnerRenamesANoteAndTheRenameIsAnnouncedWithItsCurrentJob() {
        Map<String, Object> node = created(form("old name.wav"));
        long id = id(node);
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));

        web.patch()
                .uri("/api/nodes/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "  New name  "))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("New name")
                .jsonPath("$.id")
                .isEqualTo(id);

        NoteRetitled renamed = probe.await(
                        Topics.JOB_PROGRESS,
                        NoteRetitled.class,
                        e -> e.nodeId() == id && titleOf(e.titlePath()).equals("New name"),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(renamed.jobId()).isEqualTo(job);
        assertThat(renamed.userId()).isEqualTo("tess");
        web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("New name");

        // A retry announces the node again, with the title it has now.
        probe.send(StageFailed.of(job, id, "transcribe", "The transcription API failed", false));
        Map<?, ?> retried = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            var answer = web.post()
                                    .uri("/api/nodes/{id}/transcription/retry", id)
                                    .exchange()
                                    .expectBody(Map.class)
                                    .returnResult();
                            return answer.getStatus().value() == 202 ? answer.getResponseBody() : null;
                        },
                        body -> body != null);
        assertThat(retried.get("title")).isEqualTo("New name");
        UUID attempt = UUID.fromString((String) retried.get("transcription_task_id"));
        assertThat(probe.await(
                                Topics.AUDIO_UPLOADED,
                                AudioUploaded.class,
                                e -> e.jobId().equals(attempt),
                                1,
                                Duration.ofSeconds(30))
                        .get(0)
                        .titlePath())
                .satisfies(path -> assertThat(titleOf(path)).isEqualTo("New name"));
    }

    @Test
    void aRenameIsRefusedToAnotherUserAndForAMissingBlankLongOrControlTitleAndAnErasedNodeIs404() {
        long id = id(created(form("mine.wav")));

        rename(id, Map.of("title", "Theirs now"), TestTokens.user("mallory"))
                .expectStatus()
                .isForbidden();
        Map<String, Object> nullTitle = new HashMap<>();
        nullTitle.put("title", null);
        for (Map<String, Object> body : new Map[] {
            Map.of(),
            nullTitle,
            Map.of("title", " \t "),
            Map.of("title", "x".repeat(201)),
            Map.of("title", "tab\there"),
            Map.of("title", "\u0000"),
            Map.of("title", "\u2028")
        }) {
            rename(id, body, TestTokens.user("tess"))
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.error")
                    .exists();
        }
        web.patch()
                .uri("/api/nodes/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\": ")
                .exchange()
                .expectStatus()
                .isBadRequest();
        web.get()
                .uri("/api/nodes/{id}", id)
                .exchange()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("mine");

        web.delete().uri("/api/nodes/{id}", id).exchange().expectStatus().isNoContent();
        rename(id, Map.of("title", "Too late"), TestTokens.user("tess"))
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aTextNodeIsRenamedWithoutAnEvent() {
        long id = id(web.post()
                .uri("/api/nodes")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "a thought"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        String before = Leftovers.database(DB);

        rename(id, Map.of("title", "A thought"), TestTokens.user("tess"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("A thought");

        assertThat(Leftovers.database(DB)).as("no outbox id drawn").isEqualTo(before);
    }

    private WebTestClient.ResponseSpec rename(long id, Object body, String token) {
        return web.patch()
                .uri("/api/nodes/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private MultipartBodyBuilder form(String fileName) {
        Path clip = TestAudio.toneWav(files.resolve(UUID.randomUUID() + ".wav"), 1, 16_000);
        return part(fileName, new FileSystemResource(clip));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> created(MultipartBodyBuilder form) {
        return Uploads.upload(web, form)
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private AudioUploaded uploaded(Map<String, Object> node) {
        UUID job = UUID.fromString((String) node.get("transcription_task_id"));
        return probe.await(
                        Topics.AUDIO_UPLOADED,
                        AudioUploaded.class,
                        e -> e.jobId().equals(job),
                        1,
                        Duration.ofSeconds(30))
                .get(0);
    }

    /** Titles travel as claim checks: the event names a file in storage. */
    private static String titleOf(String path) {
        assertThat(path).startsWith("texts/").doesNotContain("New name");
        return new TranscriptTexts(new LocalObjectStore(storage))
                .readTitle(path)
                .orElseThrow();
    }

    private static long id(Map<?, ?> node) {
        return ((Number) node.get("id")).longValue();
    }
}
