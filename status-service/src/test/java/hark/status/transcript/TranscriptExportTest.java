package hark.status.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.TimedText;
import hark.status.StatusPoller;
import hark.status.StatusServiceApplication;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Folds real events into the view, then downloads the transcript as the browser app links it. */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TranscriptExportTest extends StageTest {

    private static final AtomicLong NODES = new AtomicLong(5000);
    private static final String TEXT = "Hello there. How are you?\n\nFine, thanks. Bye.";

    @Autowired
    WebTestClient web;

    StatusPoller statuses;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("local")))
                .build();
        statuses = new StatusPoller(web);
    }

    @Test
    void aCompletedJobExportsAsTextSrtVttAndJsonWithSegments() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = upload(node, job);
        // Times are on the recording's timeline; the second chunk's come out of order on purpose.
        transcribe(
                chunks.get(0),
                "Hello there. How are you?",
                List.of(new TimedText(0, 2.5, "Hello there."), new TimedText(2.5, 4.25, "How are you?")));
        transcribe(
                chunks.get(1),
                "Fine, thanks. Bye.",
                List.of(new TimedText(3730, 3731.5, "Bye."), new TimedText(3725.5, 3728.125, "Fine, thanks.")));
        statuses.await(node, s -> Integer.valueOf(2).equals(s.get("chunks_done")));
        complete(node, job, TEXT);

        text(get(node, "")).isEqualTo(TEXT);
        var plain = web.get()
                .uri("/api/nodes/{id}/transcript", node)
                .accept(MediaType.TEXT_PLAIN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .expectHeader()
                .doesNotExist(HttpHeaders.CONTENT_DISPOSITION);
        text(plain).isEqualTo(TEXT);
        text(get(node, "?format=txt")).isEqualTo(TEXT);

        var srt = get(node, "?format=srt")
                .expectHeader()
                .contentType(new MediaType("application", "x-subrip", StandardCharsets.UTF_8));
        text(srt).isEqualTo("""
                1
                00:00:00,000 --> 00:00:02,500
                Hello there.

                2
                00:00:02,500 --> 00:00:04,250
                How are you?

                3
                01:02:05,500 --> 01:02:08,125
                Fine, thanks.

                4
                01:02:10,000 --> 01:02:11,500
                Bye.
                """);

        var vtt = get(node, "?format=vtt")
                .expectHeader()
                .contentType(new MediaType("text", "vtt", StandardCharsets.UTF_8));
        text(vtt).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:02.500
                Hello there.

                00:00:02.500 --> 00:00:04.250
                How are you?

                01:02:05.500 --> 01:02:08.125
                Fine, thanks.

                01:02:10.000 --> 01:02:11.500
                Bye.
                """);

        // The text and the same segments, as JSON: in order, on the recording's timeline.
        for (var json : List.of(
                get(node, "?format=json"),
                web.get()
                        .uri("/api/nodes/{id}/transcript", node)
                        .accept(MediaType.APPLICATION_JSON)
                        .exchange()
                        .expectStatus()
                        .isOk())) {
            json.expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .expectBody()
                    .jsonPath("$.node_id")
                    .isEqualTo(node)
                    .jsonPath("$.text")
                    .isEqualTo(TEXT)
                    .jsonPath("$.language")
                    .hasJsonPath()
                    .jsonPath("$.segments.length()")
                    .isEqualTo(4)
                    .jsonPath("$.segments[0].start")
                    .isEqualTo(0.0)
                    .jsonPath("$.segments[0].end")
                    .isEqualTo(2.5)
                    .jsonPath("$.segments[0].text")
                    .isEqualTo("Hello there.")
                    .jsonPath("$.segments[2].start")
                    .isEqualTo(3725.5)
                    .jsonPath("$.segments[2].text")
                    .isEqualTo("Fine, thanks.")
                    .jsonPath("$.segments[3].end")
                    .isEqualTo(3731.5);
        }

        // Without ?format=, a client may name the type it wants.
        var negotiated = web.get()
                .uri("/api/nodes/{id}/transcript", node)
                .header(HttpHeaders.ACCEPT, "text/plain;q=0.5, text/vtt")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(new MediaType("text", "vtt", StandardCharsets.UTF_8));
        text(negotiated).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n");
    }

    @Test
    void downloadNamesTheFileAfterTheNode() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = upload(node, job);
        transcribe(
                chunks.get(0),
                "Hello there. How are you?",
                List.of(new TimedText(0, 4.25, "Hello there. How are you?")));
        transcribe(chunks.get(1), "Fine, thanks. Bye.", List.of(new TimedText(3725.5, 3731.5, "Fine, thanks. Bye.")));
        statuses.await(node, s -> Integer.valueOf(2).equals(s.get("chunks_done")));
        complete(node, job, TEXT);

        for (String ext : List.of("txt", "srt", "vtt")) {
            get(node, "?format=" + ext + "&download=true")
                    .expectHeader()
                    .valueEquals(
                            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"node-" + node + "." + ext + "\"");
        }
        get(node, "?download=true")
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"node-" + node + ".txt\"");
        get(node, "?format=vtt&download=false").expectHeader().doesNotExist(HttpHeaders.CONTENT_DISPOSITION);
    }

    @Test
    void anEngineWithoutTimestampsHasTextButNoSubtitles() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = upload(node, job);
        transcribe(chunks.get(0), "Hello there. How are you?", List.of());
        transcribe(chunks.get(1), "Fine, thanks. Bye.", List.of());
        statuses.await(node, s -> Integer.valueOf(2).equals(s.get("chunks_done")));
        complete(node, job, TEXT);

        text(get(node, "")).isEqualTo(TEXT);
        for (String ext : List.of("srt", "vtt")) {
            error(node, "?format=" + ext, 404).contains("no timestamps").contains("?format=txt");
        }
        get(node, "?format=json")
                .expectBody()
                .jsonPath("$.text")
                .isEqualTo(TEXT)
                .jsonPath("$.segments")
                .isEmpty();
    }

    @Test
    void subtitlesWaitForEveryChunkEvenWhenTheTextIsIn() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = upload(node, job);
        transcribe(chunks.get(0), "Hello there. How are you?", List.of(new TimedText(0, 4.25, "Hello there.")));
        statuses.await(node, s -> Integer.valueOf(1).equals(s.get("chunks_done")));
        // The assembled transcript overtakes the last chunk's event, as it can across topics.
        complete(node, job, TEXT);

        text(get(node, "")).isEqualTo(TEXT);
        error(node, "?format=srt", 409).contains("still being put together").contains("1 of 2");

        transcribe(chunks.get(1), "Fine, thanks. Bye.", List.of(new TimedText(3725.5, 3731.5, "Fine, thanks. Bye.")));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> text(get(node, "?format=srt")).endsWith("""
                        2
                        01:02:05,500 --> 01:02:11,500
                        Fine, thanks. Bye.
                        """));
    }

    @Test
    void aJobNotCompletedIs409SayingWhere() {
        long pending = NODES.incrementAndGet();
        probe.send(AudioUploaded.of(UUID.randomUUID(), pending, "local", "originals/p.wav", "audio/wav", 10));
        statuses.await(pending, s -> "pending".equals(s.get("status")));
        error(pending, "", 409).contains("not ready yet").contains("waiting to be processed");

        long processing = NODES.incrementAndGet();
        UUID running = UUID.randomUUID();
        probe.send(AudioUploaded.of(running, processing, "local", "originals/r.wav", "audio/wav", 10));
        probe.send(StageStarted.of(running, processing, "prep"));
        statuses.await(processing, s -> "processing".equals(s.get("status")));
        error(processing, "?format=srt", 409).contains("not ready yet").contains("being transcribed");
        error(processing, "?format=json", 409).contains("not ready yet");

        long failed = NODES.incrementAndGet();
        UUID broken = UUID.randomUUID();
        probe.send(AudioUploaded.of(broken, failed, "local", "originals/f.mp3", "audio/mpeg", 10));
        probe.send(StageFailed.of(broken, failed, "prep", "The file is not audio Hark can read.", true));
        statuses.await(failed, s -> "failed".equals(s.get("status")));
        error(failed, "?format=vtt", 409)
                .isEqualTo("Node " + failed
                        + " has no transcript: its transcription failed: The file is not audio Hark can read.");
    }

    @Test
    void anUnknownNodeIs404() {
        error(987654321L, "", 404).contains("987654321");
        error(987654321L, "?format=srt", 404).contains("987654321");
        // A client that asked for a file still learns why there is none.
        web.get()
                .uri("/api/nodes/{id}/transcript", 987654321L)
                .accept(MediaType.TEXT_PLAIN)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("No transcription for node 987654321 (yet)");
    }

    @Test
    void anUnknownFormatIs400ListingTheKnownOnes() {
        error(987654321L, "?format=docx", 400)
                .contains("docx")
                .contains("txt")
                .contains("srt")
                .contains("vtt")
                .contains("json");
    }

    private List<ChunkReady> upload(long node, UUID job) {
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        List<ChunkReady> chunks = List.of(
                ChunkReady.of(job, node, 0, 2, "c0", 0, 3725.5), ChunkReady.of(job, node, 1, 2, "c1", 3725.5, 3740));
        chunks.forEach(probe::send);
        statuses.await(node, s -> Integer.valueOf(2).equals(s.get("chunks_total")));
        return chunks;
    }

    private void transcribe(ChunkReady chunk, String text, List<TimedText> segments) {
        probe.send(transcribed(chunk, text, "whisper-1", segments));
    }

    private void complete(long node, UUID job, String text) {
        probe.send(assembled(job, node, text, 2, "whisper-1"));
        statuses.await(node, s -> "completed".equals(s.get("status")));
    }

    private WebTestClient.ResponseSpec get(long node, String query) {
        return web.get()
                .uri("/api/nodes/" + node + "/transcript" + query)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private static org.assertj.core.api.AbstractStringAssert<?> text(WebTestClient.ResponseSpec response) {
        byte[] body = response.expectBody().returnResult().getResponseBody();
        return assertThat(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private org.assertj.core.api.AbstractStringAssert<?> error(long node, String query, int status) {
        Map<String, Object> body = web.get()
                .uri("/api/nodes/" + node + "/transcript" + query)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return assertThat((String) body.get("error"));
    }
}
