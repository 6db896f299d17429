package hark.standalone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.standalone.Hark;
import hark.standalone.StandInEngine;
import hark.standalone.infra.LocalKafkaBroker;
import hark.standalone.infra.LocalPostgres;
import hark.testing.FakeTranscriptionApi;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Hark as {@code ./hark up} runs it (all four services in one process on an embedded broker and
 * database in a data folder), except that the test can stop and start the broker, the database
 * and Hark itself, each on the same data and ports, as a crash or an outage would. The paid
 * transcription API is the stand-in: it answers every chunk with a text that names the chunk, so
 * the final transcript shows whether each chunk made it in exactly once, and it can hold calls
 * open so that a fault lands while a chunk is mid-call.
 */
final class FaultRig implements AutoCloseable {

    static final String API_KEY = "sk-fault-tests";
    /** Recordings made by {@link #recording} are cut into this many chunks. */
    static final int CHUNKS = 4;
    /** Each slot holds the 3.5 s clip then silence, so every planned cut finds a pause. */
    private static final double SLOT_SECONDS = 5.0;
    /** Transcribe consumers in one Hark process (Hark's default). */
    static final int TRANSCRIBE_CONCURRENCY = 2;
    /** Short, so that the group notices a dead member quickly; see {@link #startHark}. */
    static final int SESSION_TIMEOUT_MS = 6000;
    /** The transcribe stage's consumer group (its listener id). */
    private static final String TRANSCRIBE_GROUP = "hark-transcribe";

    private static final ParameterizedTypeReference<Map<String, Object>> STATUS = new ParameterizedTypeReference<>() {};

    private final Path data;
    private final int kafkaPort;
    private final int postgresPort;
    private final FakeTranscriptionApi api;
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicInteger callsHeld = new AtomicInteger();
    private volatile CountDownLatch hold;

    private LocalKafkaBroker kafka;
    private LocalPostgres postgres;
    private ConfigurableApplicationContext hark;
    private WebTestClient web;
    private String authorization;

    private FaultRig(Path data) {
        this.data = data;
        this.kafka = LocalKafkaBroker.start(data.resolve("kafka"), 0);
        this.kafkaPort = port(kafka.bootstrapServers());
        this.postgres = LocalPostgres.start(data.resolve("postgres"), 0);
        this.postgresPort =
                URI.create(postgres.jdbcUrl().substring("jdbc:".length())).getPort();
        this.api = FakeTranscriptionApi.start(API_KEY).withTranscriber(upload -> {
            callsStarted.incrementAndGet();
            awaitRelease();
            return chunkText(upload.fileName());
        });
    }

    /** Starts the broker and the database on {@code data}; Hark is started by {@link #startHark}. */
    static FaultRig start(Path data) {
        return new FaultRig(data);
    }

    // ---- the pieces that fail ----

    void stopKafka() {
        kafka.close();
        kafka = null;
    }

    /** The same log directory and client port, as a restarted broker would have. */
    void startKafka() {
        kafka = LocalKafkaBroker.start(data.resolve("kafka"), kafkaPort);
    }

    void stopPostgres() {
        postgres.close();
        postgres = null;
    }

    void startPostgres() {
        postgres = LocalPostgres.start(data.resolve("postgres"), postgresPort);
    }

    /** Hark on the rig's data, broker, database and stand-in; {@code args} add or override settings. */
    void startHark(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--hark.transcribe.concurrency=" + TRANSCRIBE_CONCURRENCY,
                // One chunk per slot of the recording: the planner aims for as many chunks as it is
                // told can run at once, and a one-second window finds the pause closing each slot.
                "--hark.prep.parallelism=" + CHUNKS,
                "--hark.prep.min-chunk-seconds=1",
                "--hark.prep.cut-window-seconds=1",
                // A process that dies, or closes while the broker is away, cannot leave its
                // consumer groups: its members stay until their session times out, and the group
                // waits for them before it hands their partitions on. Kafka's 45 s default would
                // be most of each test; 6 s is the broker's minimum.
                "--spring.kafka.consumer.properties.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=" + SESSION_TIMEOUT_MS / 3));
        all.addAll(Arrays.asList(args));
        hark = Hark.run(data, settings(), StandInEngine.settings(api, all.toArray(String[]::new)));
        web = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + hark.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        if (authorization == null) {
            authorization = "Bearer " + signUp();
        }
        web = web.mutate().defaultHeader("Authorization", authorization).build();
        // Until both of this process's transcribe consumers own partitions, one may hold every
        // chunk, and the other's join would wait for the first to finish its chunk.
        awaitTranscribeConsumers(TRANSCRIBE_CONCURRENCY);
    }

    /** Waits until the transcribe group is stable with {@code members} consumers, each owning partitions. */
    void awaitTranscribeConsumers(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(TRANSCRIBE_GROUP))
                                .describedGroups()
                                .get(TRANSCRIBE_GROUP)
                                .get();
                        return group.groupState() == GroupState.STABLE
                                && group.members().size() == members
                                && group.members().stream()
                                        .noneMatch(m ->
                                                m.assignment().topicPartitions().isEmpty());
                    });
        }
    }

    /** Closes Hark as the shutdown hook of {@code ./hark up} does; broker and database stay as they are. */
    void stopHark() {
        if (hark != null) {
            hark.close();
            hark = null;
        }
    }

    /** What a service of Hark needs to reach the rig's broker and database (its environment variables). */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        settings.put("DATABASE_URL", "postgresql://localhost:" + postgresPort + "/postgres");
        settings.put("DATABASE_USER", postgres.user());
        settings.put("DATABASE_PASSWORD", postgres.password());
        return settings;
    }

    Path data() {
        return data;
    }

    FakeTranscriptionApi api() {
        return api;
    }

    // ---- the stand-in API's hold ----

    /** From now on, calls to the stand-in wait at the API until {@link #releaseCalls}. */
    void holdCalls() {
        hold = new CountDownLatch(1);
    }

    void releaseCalls() {
        CountDownLatch gate = hold;
        hold = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Waits until at least {@code n} calls are being held at the stand-in, i.e. chunks are mid-call. */
    void awaitHeldCalls(int n, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> callsHeld.get() >= n);
    }

    int heldCalls() {
        return callsHeld.get();
    }

    /** Calls that reached the stand-in's transcriber (held ones included), from every process. */
    int callsStarted() {
        return callsStarted.get();
    }

    private void awaitRelease() {
        CountDownLatch gate = hold;
        if (gate == null) {
            return;
        }
        callsHeld.incrementAndGet();
        try {
            gate.await();
        } catch (InterruptedException e) {
            // The stand-in is closing: the call ends without an answer.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The stand-in closed while holding a call", e);
        } finally {
            callsHeld.decrementAndGet();
        }
    }

    // ---- what a user does and sees ----

    /** A speech recording that Hark cuts into {@link #CHUNKS} chunks. */
    Path recording() {
        Path clip = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path[] slots = new Path[CHUNKS];
        Arrays.fill(slots, clip);
        return TestAudio.joinWithPauses(data.resolve("talk-" + CHUNKS + ".wav"), SLOT_SECONDS, slots);
    }

    /** The stand-in's text for one chunk file ({@code chunk-0002.mp3}): it names the chunk. */
    static String chunkText(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return "words of " + (dot < 0 ? fileName : fileName.substring(0, dot));
    }

    /** The transcript a job of {@link #CHUNKS} chunks must end with: each chunk's text once, in order. */
    static String expectedTranscript() {
        return IntStream.range(0, CHUNKS)
                .mapToObj(i -> chunkText(String.format("chunk-%04d.mp3", i)))
                .collect(Collectors.joining("\n\n"));
    }

    /** Uploads as the page does and checks the answer is the immediate 201; returns the node id. */
    long upload(Path recording) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(recording))
                .filename(recording.getFileName().toString())
                .contentType(MediaType.parseMediaType("audio/wav"));
        Map<String, Object> node = web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(STATUS)
                .returnResult()
                .getResponseBody();
        assertThat(node).containsEntry("transcription_status", "pending");
        return ((Number) node.get("id")).longValue();
    }

    /**
     * Polls the job's status as the page does until it is completed or failed (404 means the view
     * has not seen the upload yet; other errors, say while the database is down, are polled past).
     */
    Map<String, Object> awaitFinished(long nodeId, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(
                        () -> status(nodeId),
                        s -> s != null && ("completed".equals(s.get("status")) || "failed".equals(s.get("status"))));
    }

    /** The status the page would show now, or null while the view does not know the node. */
    Map<String, Object> status(long nodeId) {
        var result = web.get()
                .uri("/api/nodes/{id}/transcription-status", nodeId)
                .exchange()
                .expectBody(STATUS)
                .returnResult();
        return result.getStatus().value() == 200 ? result.getResponseBody() : null;
    }

    /** Checks the job completed with exactly the expected transcript, in the status and on the node. */
    void assertCompletedWithEachChunkOnce(long nodeId, Duration timeout) {
        Map<String, Object> last = awaitFinished(nodeId, timeout);
        assertThat(last)
                .containsEntry("status", "completed")
                .containsEntry("error", null)
                .containsEntry("chunks_total", CHUNKS);
        assertThat(last.get("content")).isEqualTo(expectedTranscript());
        // The node's own content is written by another consumer (upload-service's), so it may lag.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> web.get()
                        .uri("/api/nodes/{id}", nodeId)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.content")
                        .isEqualTo(expectedTranscript()));
    }

    private String signUp() {
        Map<?, ?> answer = web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "faults-" + System.nanoTime(), "password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return (String) answer.get("token");
    }

    // ---- looking inside ----

    /** Events still waiting in a service's outbox table (read over plain JDBC, not through Hark). */
    long outboxRows(String schema) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + postgresPort + "/postgres",
                        postgres.user(),
                        postgres.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".outbox")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the " + schema + " outbox", e);
        }
    }

    @Override
    public void close() {
        // Held calls would keep Hark's consumers busy through its shutdown.
        releaseCalls();
        try {
            stopHark();
        } finally {
            api.close();
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
