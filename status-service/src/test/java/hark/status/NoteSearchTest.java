package hark.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.objects.LocalObjectStore;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.EventIds;
import hark.schemas.HarkEvent;
import hark.schemas.NoteRetitled;
import hark.schemas.RecordingErased;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

/** Titles in the list, the list's preview, and the search over transcripts and titles. */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class NoteSearchTest extends StageTest {

    private static final AtomicLong NODES = new AtomicLong(7000);

    @Autowired
    WebTestClient web;

    StatusPoller statuses;

    @BeforeEach
    void setUp() {
        statuses = new StatusPoller(web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("sam")))
                .build());
    }

    @Test
    void anItemHasItsTitleLengthAndTheTranscriptsFirstWords() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        String text = "Our quarterly planning session began with a long review of the marketing budget,"
                + " then moved on to hiring plans for the second half of the year and finally to the office move.";
        probe.send(AudioUploaded.of(job, node, "pia", "originals/p.wav", "audio/wav", 10, titleFile(node, "Planning")));
        probe.send(AudioPrepared.of(job, node, "work/p.mp3", "mp3", 754.5, 1000, false));
        probe.send(assembled(job, node, text, 1, "whisper-1"));

        Map<String, Object> item = awaitItem("pia", "/api/nodes", node, i -> i.get("preview") != null);
        assertThat(item)
                .containsEntry("title", "Planning")
                .containsEntry("duration_seconds", 754.5)
                .containsEntry("snippet", null);
        String preview = (String) item.get("preview");
        assertThat(preview).hasSizeLessThanOrEqualTo(160).endsWith("…");
        assertThat(text).startsWith(preview.substring(0, preview.length() - 1));
        assertThat(text.charAt(preview.length() - 1)).as("cut at a word").isEqualTo(' ');

        long untitled = NODES.incrementAndGet();
        probe.send(AudioUploaded.of(UUID.randomUUID(), untitled, "pia", "originals/q.wav", "audio/wav", 10));
        assertThat(awaitItem("pia", "/api/nodes", untitled, i -> true))
                .containsEntry("title", null)
                .containsEntry("preview", null)
                .containsEntry("duration_seconds", null);
    }

    @Test
    void theNewestTitleWinsWhateverOrderItsEventsAreFoldedIn() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        Instant uploaded = Instant.now().minusSeconds(60);
        // A rename is folded before the upload it renames (they travel on different topics): the
        // upload's title is older and stays out.
        probe.send(retitled(job, node, "ren", "Second name", uploaded.plusSeconds(20)));
        probe.send(new AudioUploaded(
                EventIds.of(job, "uploaded"),
                job,
                node,
                uploaded,
                HarkEvent.SCHEMA_VERSION,
                "ren",
                "originals/r.wav",
                "audio/wav",
                10,
                titleFile(node, "First name")));
        awaitItemTitle("ren", node, "Second name");
        assertThat(titleRow(node)).isEqualTo("Second name");
        // A rename before the last one arrives late and changes nothing; a newer one wins.
        probe.send(retitled(job, node, "ren", "Stale name", uploaded.plusSeconds(10)));
        probe.send(retitled(job, node, "ren", "Third name", uploaded.plusSeconds(30)));
        awaitItemTitle("ren", node, "Third name");
        assertThat(titleRow(node)).isEqualTo("Third name");

        // Erased: the title goes with the node, and a late rename brings nothing back.
        probe.send(RecordingErased.of(job, node, "originals/r.wav", "ren"));
        probe.send(retitled(job, node, "ren", "After erasure", uploaded.plusSeconds(40)));
        await().atMost(Duration.ofSeconds(30)).until(() -> titleRow(node) == null);
        assertThat(ids("ren", "/api/nodes?size=100")).doesNotContain(node);
    }

    @Test
    void aSearchFindsTheCallersNotesByTranscriptOrTitleRankedWithTheWordMarked() {
        long meeting =
                note("sue", "Monday", "We met to talk about the budgets for next year and agreed on little else.");
        long titled = note("sue", "Budgets review", "Nothing of note was said on this recording at all.");
        long often = note("sue", "Often", "budgets budgets budgets and again budgets, all about budgets");
        long cooking = note("sue", "Dinner", "Boil the pasta for nine minutes, then add the sauce.");
        long theirs = note("tom", "Their budgets", "Their budgets are their own business.");

        Map<String, Object> found = page("sue", "/api/nodes?q=budgets");
        List<Long> hits = ids(found);
        assertThat(hits).containsExactlyInAnyOrder(meeting, titled, often);
        assertThat(((Number) found.get("total")).longValue()).isEqualTo(3);
        assertThat(hits.indexOf(often)).as("ranked").isLessThan(hits.indexOf(meeting));
        Map<String, Object> hit = item(found, meeting);
        List<Map<String, Object>> snippet = snippet(hit);
        assertThat(snippet).contains(Map.of("text", "budgets", "match", true));
        assertThat(snippet.stream().filter(p -> !(Boolean) p.get("match")).map(p -> (String) p.get("text")))
                .anySatisfy(t -> assertThat(t).contains("talk about the"))
                .allSatisfy(t -> assertThat(t).doesNotContain("<").doesNotContain("\u0002"));
        assertThat(snippet(item(found, titled))).contains(Map.of("text", "Budgets", "match", true));

        assertThat(ids(page("sue", "/api/nodes?q=pasta"))).containsExactly(cooking);
        assertThat(ids(page("sue", "/api/nodes?q=dinner"))).containsExactly(cooking);
        assertThat(ids(search("sue", "\"boil the pasta\""))).containsExactly(cooking);
        assertThat(ids(search("sue", "budgets -often"))).containsExactlyInAnyOrder(meeting, titled);
        assertThat(ids(page("sue", "/api/nodes?q=submarine"))).isEmpty();
        assertThat(ids(page("sue", "/api/nodes?q=budgets&size=1&page=1"))).hasSize(1);
        assertThat(ids(page("tom", "/api/nodes?q=budgets"))).containsExactly(theirs);
        assertThat(ids(page("sue", "/api/nodes?q=budgets&status=failed"))).isEmpty();
    }

    @Test
    void aQueryOfNoWordsOrTooLongIs400AndHostileOnesAreJustWords() {
        note("hal", "Backslash", "a\\b quote's & bars | bang ! colon : star * end");
        for (String q : new String[] {"", "   ", "x".repeat(201), "\u0000\u0001"}) {
            web.get()
                    .uri(searchUri(q))
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("hal")))
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.error")
                    .value(m -> assertThat((String) m).contains("q must be"));
        }
        for (String q : new String[] {
            "'",
            "''",
            "&|!",
            ":*",
            "\\",
            "a:*",
            "!!!!",
            "(",
            ")",
            "<->",
            "\"",
            "\"unclosed",
            "-",
            "or",
            "- or -",
            "star:* & !bang",
            "'; DROP TABLE status.titles; --",
            "\u0002budgets\u0003",
            "<b>x</b>",
            "!&|():*'\\\"<->-".repeat(20).substring(0, 200),
            "x".repeat(200),
            "quote's"
        }) {
            web.get()
                    .uri(searchUri(q))
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("hal")))
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        assertThat(ids(search("hal", "star:*"))).hasSize(1);
    }

    /** A completed note of the user's with a title and a transcript; waits until the list has it. */
    private long note(String user, String title, String text) {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(
                job, node, user, "originals/" + job + ".wav", "audio/wav", 10, titleFile(node, title)));
        probe.send(assembled(job, node, text, 1, "whisper-1"));
        awaitItem(
                user, "/api/nodes?size=100", node, i -> "completed".equals(i.get("status")) && i.get("title") != null);
        return node;
    }

    private static NoteRetitled retitled(UUID job, long node, String user, String title, Instant at) {
        String path = titleFile(node, title);
        return new NoteRetitled(
                EventIds.of(job, "retitled", node, path), job, node, at, HarkEvent.SCHEMA_VERSION, user, path);
    }

    /** The title in storage, as upload-service writes it for its event to name. */
    private static String titleFile(long node, String title) {
        return new TranscriptTexts(new LocalObjectStore(storage)).title(node, title);
    }

    private void awaitItemTitle(String user, long node, String title) {
        awaitItem(user, "/api/nodes?size=100", node, i -> title.equals(i.get("title")));
    }

    private Map<String, Object> awaitItem(String user, String uri, long node, Predicate<Map<String, Object>> ready) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> item(page(user, uri), node), i -> i != null && ready.test(i));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Map<String, Object> page, long node) {
        return ((List<Map<String, Object>>) page.get("items"))
                .stream()
                        .filter(i -> ((Number) i.get("node_id")).longValue() == node)
                        .findFirst()
                        .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> snippet(Map<String, Object> item) {
        return (List<Map<String, Object>>) item.get("snippet");
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items"))
                .stream().map(i -> ((Number) i.get("node_id")).longValue()).toList();
    }

    private List<Long> ids(String user, String uri) {
        return ids(page(user, uri));
    }

    private Map<String, Object> page(String user, String uri) {
        return answer(user, web.get().uri(uri));
    }

    private Map<String, Object> page(String user, Function<UriBuilder, java.net.URI> uri) {
        return answer(user, web.get().uri(uri));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(String user, WebTestClient.RequestHeadersSpec<?> request) {
        return request.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user(user)))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private Map<String, Object> search(String user, String q) {
        return page(user, searchUri(q));
    }

    /** The query string encoded once, as a browser sends it. */
    private static Function<UriBuilder, java.net.URI> searchUri(String q) {
        return b -> b.path("/api/nodes").queryParam("q", "{q}").build(q);
    }

    private static String titleRow(long node) {
        try (Connection c = DB.connect();
                PreparedStatement select = c.prepareStatement("SELECT title FROM status.titles WHERE node_id = ?")) {
            select.setLong(1, node);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
