package hark.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.EventIds;
import hark.schemas.HarkEvent;
import hark.schemas.StageStarted;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

/** What a person watching sees: partial text, an estimate, the live stream and its resume, the list. */
@SpringBootTest(
        classes = StatusServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.status.stream-poll=100ms")
@AutoConfigureWebTestClient
class LiveStatusTest extends StageTest {

    private static final AtomicLong NODES = new AtomicLong(2000);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {};
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
    void chunksFinishingInReverseShowTheirTextInOrderAndAnEstimateThatFalls() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = start(job, node, 4);
        // The pace is set by when events say they happened, not by how long the test takes.
        Instant ready = chunks.get(0).occurredAt();

        probe.send(transcribed(chunks.get(3), "four", ready.plusSeconds(1)));
        Map<String, Object> one = statuses.await(node, s -> s.get("chunks_done").equals(1));
        assertThat(one.get("partial_content")).isEqualTo("…\n\nfour");
        assertThat(one.get("content")).isNull();
        // One chunk in a second, three to go: about three seconds.
        assertThat(((Number) one.get("eta_seconds")).longValue()).isBetween(1L, 5L);

        probe.send(transcribed(chunks.get(2), "three", ready.plusMillis(1500)));
        Map<String, Object> two = statuses.await(node, s -> s.get("chunks_done").equals(2));
        assertThat(two.get("partial_content")).isEqualTo("…\n\nthree\n\nfour");
        assertThat(((Number) two.get("eta_seconds")).longValue())
                .isLessThanOrEqualTo(((Number) one.get("eta_seconds")).longValue());

        probe.send(transcribed(chunks.get(0), "one", "sphinx", List.of()));
        assertThat(statuses.await(node, s -> s.get("chunks_done").equals(3)).get("partial_content"))
                .isEqualTo("one\n\n…\n\nthree\n\nfour");
        probe.send(transcribed(chunks.get(1), "two", "sphinx", List.of()));
        probe.send(assembled(job, node, "one\n\ntwo\n\nthree\n\nfour", 4, "sphinx"));
        Map<String, Object> done = statuses.await(node, s -> s.get("status").equals("completed"));
        assertThat(done)
                .containsEntry("eta_seconds", 0)
                .containsEntry("partial_content", null)
                .containsEntry("content", "one\n\ntwo\n\nthree\n\nfour");
    }

    @Test
    void theStreamShowsEachChangeLiveAndEndsAfterTheFinalState() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = start(job, node, 2);

        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        List<Boolean> ended = new CopyOnWriteArrayList<>();
        Disposable watching =
                stream(node, null).doOnComplete(() -> ended.add(true)).subscribe(received::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(state(received.get(0)))
                    .containsEntry("status", "processing")
                    .containsEntry("chunks_total", 2);

            probe.send(transcribed(chunks.get(1), "second", "sphinx", List.of()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            received.stream().anyMatch(e -> Integer.valueOf(1).equals(state(e).get("chunks_done"))));
            probe.send(transcribed(chunks.get(0), "first", "sphinx", List.of()));
            probe.send(assembled(job, node, "first\n\nsecond", 2, "sphinx"));

            await().atMost(Duration.ofSeconds(10)).until(() -> !ended.isEmpty());
        } finally {
            watching.dispose();
        }
        List<Map<String, Object>> states =
                received.stream().map(LiveStatusTest::state).toList();
        assertThat(states.get(states.size() - 1))
                .containsEntry("status", "completed")
                .containsEntry("content", "first\n\nsecond");
        assertThat(states).extracting(s -> (Integer) s.get("progress")).isSorted();
        assertThat(received).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
        // Polling and the stream show the same truth.
        assertThat(states.get(states.size() - 1)).isEqualTo(statuses.now(node));
    }

    @Test
    void reconnectingWithLastEventIdResumesWithoutLosingAChange() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        List<ChunkReady> chunks = start(job, node, 3);

        ServerSentEvent<String> first = stream(node, null).blockFirst(Duration.ofSeconds(10));
        // Away while three chunks finish and the transcript is assembled.
        probe.send(transcribed(chunks.get(2), "c", "sphinx", List.of()));
        statuses.await(node, s -> s.get("chunks_done").equals(1));
        probe.send(transcribed(chunks.get(0), "a", "sphinx", List.of()));
        statuses.await(node, s -> s.get("chunks_done").equals(2));
        probe.send(transcribed(chunks.get(1), "b", "sphinx", List.of()));
        statuses.await(node, s -> s.get("chunks_done").equals(3));
        probe.send(assembled(job, node, "a\n\nb\n\nc", 3, "sphinx"));
        statuses.await(node, s -> s.get("status").equals("completed"));

        List<ServerSentEvent<String>> missed =
                stream(node, first.id()).collectList().block(Duration.ofSeconds(10));

        assertThat(missed)
                .extracting(e -> (Integer) state(e).get("chunks_done"))
                .containsSubsequence(1, 2, 3);
        assertThat(missed)
                .extracting(e -> Long.parseLong(e.id()))
                .isSorted()
                .allSatisfy(id -> assertThat(id).isGreaterThan(Long.parseLong(first.id())));
        assertThat(state(missed.get(missed.size() - 1))).containsEntry("status", "completed");
        // Resuming after the final state: nothing more, and the stream ends at once.
        assertThat(stream(node, missed.get(missed.size() - 1).id())
                        .collectList()
                        .block(Duration.ofSeconds(10)))
                .isEmpty();
        // A new watcher of a finished job gets its final state and the end.
        assertThat(stream(node, null).collectList().block(Duration.ofSeconds(10)))
                .singleElement()
                .satisfies(e -> assertThat(state(e)).isEqualTo(statuses.now(node)));
    }

    /** One account cannot hold every connection: a sixth stream at once is 429, and a closed one frees a place. */
    @Test
    void aUserMayHaveFiveLiveStreamsOpenAtOnce() {
        long node = NODES.incrementAndGet();
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, node, "greedy", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(StageStarted.of(job, node, "prep"));
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("greedy")))
                .build();
        new StatusPoller(web).await(node, s -> s.get("status").equals("processing"));
        List<Disposable> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
                open.add(stream(node, null).subscribe(received::add));
                await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            }
            web.get()
                    .uri("/api/nodes/{id}/transcription-events", node)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(429)
                    .expectHeader()
                    .exists(HttpHeaders.RETRY_AFTER)
                    .expectBody()
                    .jsonPath("$.error")
                    .value(m -> assertThat((String) m).contains("at most 5"));
            // Someone else still may.
            web.get()
                    .uri("/api/nodes/{id}/transcription-events", node)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .headers(h -> h.setBearerAuth(TestTokens.admin("operator")))
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .returnResult(SSE)
                    .getResponseBody()
                    .blockFirst(Duration.ofSeconds(10));

            open.remove(0).dispose();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> web.get()
                                    .uri("/api/nodes/{id}/transcription-events", node)
                                    .accept(MediaType.TEXT_EVENT_STREAM)
                                    .exchange()
                                    .returnResult(SSE)
                                    .getStatus()
                                    .value()
                            == 200);
        } finally {
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void theListShowsTheCallersNodesNewestFirstFilteredAndPaged() {
        long older = NODES.incrementAndGet();
        long newer = NODES.incrementAndGet();
        long someoneElses = NODES.incrementAndGet();
        UUID olderJob = UUID.randomUUID();
        probe.send(AudioUploaded.of(olderJob, older, "local", "originals/a.wav", "audio/wav", 10));
        probe.send(assembled(olderJob, older, "done", 1, "sphinx"));
        probe.send(AudioUploaded.of(UUID.randomUUID(), newer, "local", "originals/b.wav", "audio/wav", 10));
        probe.send(
                AudioUploaded.of(UUID.randomUUID(), someoneElses, "someone-else", "originals/c.wav", "audio/wav", 10));
        statuses.await(older, s -> s.get("status").equals("completed"));
        statuses.await(someoneElses, s -> s.get("status").equals("pending"), TestTokens.admin("operator"));
        statuses.await(newer, s -> s.get("status").equals("pending"));

        List<Long> all = listed("/api/nodes?size=100");
        assertThat(all).contains(older, newer).doesNotContain(someoneElses);
        assertThat(all.indexOf(newer)).isLessThan(all.indexOf(older));
        assertThat(listed("/api/nodes?status=completed&size=100"))
                .contains(older)
                .doesNotContain(newer);
        Map<String, Object> firstPage = page("/api/nodes?size=1&page=0");
        assertThat((List<?>) firstPage.get("items")).hasSize(1);
        assertThat(((Number) firstPage.get("total")).longValue()).isEqualTo(all.size());

        web.get()
                .uri("/api/nodes?status=sleeping")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("pending, processing"));
        web.get().uri("/api/nodes?size=1000").exchange().expectStatus().isBadRequest();
    }

    private List<ChunkReady> start(UUID job, long node, int count) {
        probe.send(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        probe.send(StageStarted.of(job, node, "prep"));
        probe.send(AudioPrepared.of(job, node, "work/" + job + "/prepared.wav", "wav", count * 10.0, 1000, false));
        List<ChunkReady> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(ChunkReady.of(job, node, i, count, "c" + i, i * 10.0, i * 10.0 + 10));
        }
        chunks.forEach(probe::send);
        // The dispatcher deals the job its first chunk at once: transcription starts now.
        probe.send(new StageStarted(
                EventIds.of(job, "started", "transcribe"),
                job,
                node,
                chunks.get(0).occurredAt(),
                HarkEvent.SCHEMA_VERSION,
                "transcribe"));
        statuses.await(
                node, s -> Integer.valueOf(count).equals(s.get("chunks_total")) && "transcribe".equals(s.get("stage")));
        return chunks;
    }

    private static ChunkTranscribed transcribed(ChunkReady chunk, String text, Instant at) {
        ChunkTranscribed now = transcribed(chunk, text, "sphinx", List.of());
        return new ChunkTranscribed(
                now.eventId(),
                now.jobId(),
                now.nodeId(),
                at,
                now.schemaVersion(),
                now.chunkIndex(),
                now.chunkCount(),
                now.startSeconds(),
                now.endSeconds(),
                now.textPath(),
                now.engine(),
                now.language());
    }

    private reactor.core.publisher.Flux<ServerSentEvent<String>> stream(long node, String lastEventId) {
        var request =
                web.get().uri("/api/nodes/{id}/transcription-events", node).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange()
                .expectStatus()
                .isOk()
                .returnResult(SSE)
                .getResponseBody()
                .filter(e -> e.data() != null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(ServerSentEvent<String> event) {
        return JSON.readValue(event.data(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private List<Long> listed(String uri) {
        return ((List<Map<String, Object>>) page(uri).get("items"))
                .stream()
                        .map(item -> ((Number) item.get("node_id")).longValue())
                        .toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(String uri) {
        return web.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }
}
