package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import hark.standalone.load.LoadFigures;
import hark.standalone.load.MemoryWatch;
import hark.standalone.load.ToneRecording;
import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The original design's load test made harder (issue 8): 50 recordings of 1 to 28 MB uploaded over HTTP at
 * the same moment, to Hark as {@code ./hark up} runs it (embedded broker and database, all four
 * services in this one JVM, capped at Surefire's {@code -Xmx1g}) with the OpenAI engine pointed at
 * the local stand-in of the API. Every upload must answer 201, every job must complete with each
 * of its chunks transcribed once and in order, and the heap must never come near its limit.
 *
 * <p>It asserts no timings (CI is two shared cores); it prints them as one line,
 * {@link LoadFigures#PREFIX}, which {@code bench/load.sh} collects for {@code docs/benchmarks.md}.
 */
class LoadTest {

    private static final int UPLOADS = 50;
    private static final long SMALLEST_BYTES = 1_000_000;
    private static final long LARGEST_BYTES = 28_000_000;
    private static final String API_KEY = "sk-load-test";
    private static final Duration UPLOAD_TIME_LIMIT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIME_LIMIT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(500);
    /** What the stand-in answers, so each paragraph of a transcript says which request made it. */
    private static final Pattern ANSWER = Pattern.compile("words of request (\\d+) from (\\S+)");

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static FakeTranscriptionApi api;
    static ConfigurableApplicationContext hark;
    static String base;
    static String authorization;

    // Plain HTTP/1.1, as a browser uploads: one connection per upload, no h2c upgrade attempt.
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws Exception {
        infrastructure = LocalInfrastructure.start(data, Map.of());
        api = FakeTranscriptionApi.start(API_KEY)
                .withTranscriber(upload -> "words of request " + upload.sequence() + " from " + upload.fileName());
        hark = Hark.run(
                data,
                infrastructure.settings(),
                StandInEngine.settings(
                        api,
                        // One user sends all 50 at once: the per-user limit (30 a minute by default) would
                        // answer 429 to the last 20, which is that guard working, not what this test is about.
                        "--hark.upload.uploads-per-minute=1000"));
        base = "http://localhost:" + hark.getEnvironment().getProperty("local.server.port");
        authorization = signUp();
    }

    @AfterAll
    static void stop() {
        if (hark != null) {
            hark.close();
        }
        if (api != null) {
            api.close();
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    /** One upload as the person sending it sees it. */
    private record Sent(
            int index, ToneRecording recording, long startedNanos, long answeredNanos, int status, String body) {

        Duration latency() {
            return Duration.ofNanos(answeredNanos - startedNanos);
        }

        @Override
        public String toString() {
            return "upload " + index + " (" + recording.fileBytes() + " bytes): " + status + " " + body;
        }
    }

    @Test
    void fiftyRecordingsUploadedAtOnceAllAnswer201AndAllCompleteWithEveryChunkOnce() throws Exception {
        List<ToneRecording> recordings = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            recordings.add(
                    ToneRecording.ofFileSize(SMALLEST_BYTES + (LARGEST_BYTES - SMALLEST_BYTES) * i / (UPLOADS - 1)));
        }

        List<Sent> sent;
        Map<Long, JsonNode> finished;
        long drainedNanos;
        LoadFigures figures;
        try (MemoryWatch memory = MemoryWatch.start()) {
            sent = uploadAllAtOnce(recordings);
            assertThat(sent.stream().filter(upload -> upload.status() != 201))
                    .as("uploads not answered 201")
                    .isEmpty();

            List<Long> nodeIds = new ArrayList<>();
            for (Sent upload : sent) {
                JsonNode node = json.readTree(upload.body());
                assertThat(node.path("transcription_status").asString()).isEqualTo("pending");
                nodeIds.add(node.path("id").asLong());
            }
            finished = awaitAllFinished(nodeIds);
            drainedNanos = System.nanoTime();
            memory.close(); // the figures are the load's, not the checks' that follow

            long firstStart = sent.stream().mapToLong(Sent::startedNanos).min().orElseThrow();
            int chunks = finished.values().stream()
                    .mapToInt(status -> status.path("chunks_total").asInt())
                    .sum();
            figures = new LoadFigures(
                    UPLOADS,
                    recordings.stream().mapToLong(ToneRecording::fileBytes).sum() / 1e6,
                    recordings.stream().mapToDouble(ToneRecording::seconds).sum() / 3600,
                    chunks,
                    sent.stream().map(Sent::latency).toList(),
                    Duration.ofNanos(drainedNanos - firstStart),
                    memory.peakUsed(),
                    memory.peakLiveAfterCollection(),
                    memory.maxHeap(),
                    MemoryWatch.peakResidentBytes());
            System.out.println(figures.line());

            assertThat(memory.collectionsNearLimit())
                    .as(
                            "collections after which the live heap was above 90 %% of -Xmx (%d MiB)",
                            memory.maxHeap() >> 20)
                    .isZero();
        }

        Set<Long> answeredRequests = new HashSet<>();
        finished.forEach((nodeId, status) -> answeredRequests.addAll(checkTranscript(nodeId, status)));
        // Every chunk of every job reached the API once and every answer is in exactly one transcript.
        List<RecordedRequest> requests = api.requests();
        assertThat(requests)
                .allSatisfy(request ->
                        assertThat(request.status()).as("%s", request).isEqualTo(200));
        assertThat(requests).hasSize(figures.chunks());
        assertThat(answeredRequests)
                .hasSize(figures.chunks())
                .containsExactlyInAnyOrderElementsOf(
                        requests.stream().map(RecordedRequest::sequence).toList());
        // The big ones were cut: the chunker and parallel transcription were under load too.
        assertThat(figures.chunks()).isGreaterThan(UPLOADS);
    }

    /**
     * Sends every recording on its own connection, all released by one signal, and waits for every
     * answer. Each latency runs from the request's start to its answer.
     */
    private List<Sent> uploadAllAtOnce(List<ToneRecording> recordings) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(recordings.size());
        try {
            CountDownLatch ready = new CountDownLatch(recordings.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Sent>> answers = new ArrayList<>();
            for (int i = 0; i < recordings.size(); i++) {
                int index = i;
                ToneRecording recording = recordings.get(i);
                answers.add(senders.submit(() -> {
                    HttpRequest request = uploadRequest(index, recording);
                    ready.countDown();
                    go.await();
                    long started = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    return new Sent(
                            index, recording, started, System.nanoTime(), response.statusCode(), response.body());
                }));
            }
            ready.await();
            go.countDown();
            List<Sent> sent = new ArrayList<>();
            for (Future<Sent> answer : answers) {
                sent.add(answer.get());
            }
            return sent;
        } finally {
            senders.shutdownNow();
        }
    }

    private HttpRequest uploadRequest(int index, ToneRecording recording) {
        String boundary = "load-test-boundary-" + index;
        byte[] before = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio_file\"; filename=\""
                        + String.format("load-%02d.wav", index) + "\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/api/nodes"))
                .timeout(UPLOAD_TIME_LIMIT)
                .header("Authorization", authorization)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(recording.asBody(before, after))
                .build();
    }

    /**
     * Polls each unfinished job's status as the page does, until all are completed; a failed job
     * ends the test at once with its reason.
     */
    private Map<Long, JsonNode> awaitAllFinished(List<Long> nodeIds) throws Exception {
        Map<Long, JsonNode> finished = new LinkedHashMap<>();
        Set<Long> waiting = new HashSet<>(nodeIds);
        long deadline = System.nanoTime() + DRAIN_TIME_LIMIT.toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail(
                        "%d of %d jobs did not complete within %s: nodes %s",
                        waiting.size(), nodeIds.size(), DRAIN_TIME_LIMIT, waiting);
            }
            for (Long nodeId : List.copyOf(waiting)) {
                HttpResponse<String> response = get("/api/nodes/" + nodeId + "/transcription-status");
                if (response.statusCode() == 404) {
                    continue; // the status view has not folded the upload yet
                }
                assertThat(response.statusCode())
                        .as("status of node %d: %s", nodeId, response.body())
                        .isEqualTo(200);
                JsonNode status = json.readTree(response.body());
                String state = status.path("status").asString();
                if ("failed".equals(state) || "cancelled".equals(state)) {
                    fail(
                            "Node %d ended %s: %s",
                            nodeId, state, status.path("error").asString());
                }
                if ("completed".equals(state)) {
                    finished.put(nodeId, status);
                    waiting.remove(nodeId);
                }
            }
            // The users' own polling interval, as the page polls: part of the load being measured.
            Thread.sleep(POLL.toMillis());
        }
        return finished;
    }

    /**
     * What the owner of one node reads: a completed status at 100 % with no error, the node's
     * content equal to it, one paragraph per chunk in chunk order, each the stand-in's answer.
     * Returns the API requests whose answers make up this transcript.
     */
    private Set<Long> checkTranscript(long nodeId, JsonNode status) {
        assertThat(status.path("progress").asInt())
                .as("progress of node %d", nodeId)
                .isEqualTo(100);
        assertThat(status.path("error").isNull())
                .as("error of node %d: %s", nodeId, status.path("error"))
                .isTrue();
        String content = status.path("content").asString();
        JsonNode node = readJson(get("/api/nodes/" + nodeId));
        assertThat(node.path("content").asString())
                .as("content of node %d", nodeId)
                .isEqualTo(content);

        int chunks = status.path("chunks_total").asInt();
        String[] paragraphs = content.split("\n\n");
        assertThat(paragraphs).as("paragraphs of node %d", nodeId).hasSize(chunks);
        Set<Long> requests = new HashSet<>();
        for (int i = 0; i < paragraphs.length; i++) {
            Matcher answer = ANSWER.matcher(paragraphs[i]);
            assertThat(answer.matches())
                    .as("paragraph %d of node %d: %s", i, nodeId, paragraphs[i])
                    .isTrue();
            if (chunks > 1) {
                assertThat(answer.group(2))
                        .as("paragraph %d of node %d", i, nodeId)
                        .startsWith(String.format("chunk-%04d.", i));
            }
            assertThat(requests.add(Long.parseLong(answer.group(1))))
                    .as("request %s twice in node %d", answer.group(1), nodeId)
                    .isTrue();
        }
        return requests;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", authorization)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    private JsonNode readJson(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Accounts are on: every /api call carries the token of a newly signed-up user. */
    private static String signUp() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/auth/register"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"username\":\"loadtester\",\"password\":\"a long enough secret\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return "Bearer "
                + JsonMapper.builder()
                        .build()
                        .readTree(answer.body())
                        .path("token")
                        .asString();
    }
}
