package hark.standalone.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.Topics;
import hark.standalone.Hark;
import hark.standalone.HarkClient;
import hark.standalone.LocalInfrastructure;
import hark.standalone.StandInEngine;
import hark.testing.FakeTranscriptionApi;
import hark.testing.Settled;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What an operator and an owner do when things go wrong, on Hark as {@code ./hark up} runs it (own
 * broker and database, all four services in one process) with the OpenAI engine pointed at a
 * local stand-in of the API: replay a job that failed while the engine was down, cancel a job
 * mid-way, and redeliver every record of a finished job without anything changing. Run on each
 * kind of storage: the data folder ({@link RecoveryTest}) and a bucket ({@link BucketRecoveryTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecoveryScenarios {

    private static final String API_KEY = "sk-recovery-test";
    private static final String OPERATOR_PASSWORD = "the operator's own";
    private static final int CHUNKS = 3;
    private static final Duration ENDS_WITHIN = Duration.ofMinutes(2);

    /** Static: JUnit fills a static @TempDir before @BeforeAll, one folder per test class. */
    @TempDir
    static Path data;

    LocalInfrastructure infrastructure;
    ConfigurableApplicationContext hark;
    FakeTranscriptionApi api;
    String base;
    HarkClient owner;
    WebTestClient web;
    String adminToken;
    Path recording;
    Map<String, String> variant;

    @BeforeAll
    void start() {
        api = FakeTranscriptionApi.start(API_KEY);
        infrastructure = LocalInfrastructure.start(data, Map.of());
        Map<String, String> settings = new HashMap<>(infrastructure.settings());
        variant = variantSettings();
        settings.putAll(variant);
        hark = Hark.run(
                data,
                settings,
                StandInEngine.settings(
                        api,
                        "--hark.accounts.admin-name=ops",
                        "--hark.accounts.admin-password=" + OPERATOR_PASSWORD,
                        // An outage outlasts two quick tries; an opened circuit closes again within a second.
                        "--hark.openai.retry.attempts=2",
                        "--hark.openai.retry.initial-backoff=50ms",
                        "--hark.openai.retry.max-backoff=100ms",
                        "--hark.openai.circuit-breaker.open-for=1s",
                        // One consumer, so a cancel finds chunks still waiting behind the one in flight.
                        "--hark.transcribe.concurrency=1",
                        // Three chunks of a 15 s recording, each cut at one of its pauses.
                        "--hark.prep.parallelism=" + CHUNKS,
                        "--hark.prep.min-chunk-seconds=1",
                        "--hark.prep.cut-window-seconds=1"));
        base = HarkClient.baseUrl(hark);
        owner = HarkClient.signUp(hark, "owner");
        web = owner.web();
        adminToken = HarkClient.signIn(hark, "ops", OPERATOR_PASSWORD).token();
        recording = TestAudio.toneWav(data.resolve("three-parts.wav"), 15, 16_000);
    }

    @AfterAll
    void stop() {
        hark.close();
        infrastructure.close();
        api.close();
        variant.keySet().forEach(System::clearProperty);
        afterHark();
    }

    /** Stops what the storage needed, once Hark is down. */
    void afterHark() {}

    /** Settings of this variant: its storage (Hark.run makes them system properties: cleared after). */
    abstract Map<String, String> variantSettings();

    /** Whether any of the job's intermediate objects (prepared audio, chunks) is still stored. */
    abstract boolean workLeft(UUID job);

    @BeforeEach
    void engineUp() {
        api.recover();
        api.withLatency(Duration.ZERO);
        api.reset();
    }

    @Test
    void aJobThatFailedWhileTheEngineWasDownIsReplayedToCompletionWithOneCommand() throws Exception {
        api.failAll(503);
        long node = owner.upload(recording);
        Map<String, Object> failed = owner.awaitEnd(node, ENDS_WITHIN);
        assertThat(failed).containsEntry("status", "failed");
        assertThat((String) failed.get("error")).isNotBlank();
        UUID job = owner.job(node);
        // Every chunk ends as a dead letter (the first one already failed the job).
        String deadLetters = Topics.deadLetter(Topics.AUDIO_CHUNKS);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> records(deadLetters, job).size(), n -> n == CHUNKS);

        api.recover();
        api.reset();
        // The operator's one command, as the README gives it.
        Map<String, String> env = Map.of("HARK_URL", base, "HARK_TOKEN", adminToken);
        String output = hark(env, "replay", "--topic", deadLetters, "--node", Long.toString(node));
        assertThat(output).contains("\"replayed\":" + CHUNKS).contains(job.toString());

        Map<String, Object> done = owner.awaitEnd(node, ENDS_WITHIN);
        assertThat(done).containsEntry("status", "completed").containsEntry("error", null);
        assertThat(owner.job(node)).as("the same job, carried on").isEqualTo(job);
        assertThat(paragraphs((String) done.get("content"))).hasSize(CHUNKS);
        assertThat(api.requestCount())
                .as("each chunk sent to the engine once after the replay")
                .isEqualTo(CHUNKS);
        // The node is upload-service's copy, updated from the same events a moment later.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(owner.node(node).get("content")).isEqualTo(done.get("content")));

        // A second replay finds nothing new to send.
        assertThat(hark(env, "replay", "--topic", deadLetters, "--node", Long.toString(node)))
                .contains("\"replayed\":0")
                .contains("\"already_replayed\":" + CHUNKS);
        assertThat(api.requestCount()).isEqualTo(CHUNKS);
    }

    @Test
    void cancellingARunningJobStopsItsWorkAndRemovesItsIntermediateFiles() {
        // Each call takes a while, so the cancel comes while chunks are still to do.
        api.withLatency(Duration.ofSeconds(2));
        long node = owner.upload(recording);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.requestCount() > 0);
        UUID job = owner.job(node);

        web.delete()
                .uri("/api/nodes/{id}/transcription", node)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.transcription_status")
                .isEqualTo("cancelled");

        Map<String, Object> cancelled = owner.awaitEnd(node, ENDS_WITHIN);
        assertThat(cancelled).containsEntry("status", "cancelled");
        assertThat((String) cancelled.get("error")).contains("Cancelled by owner");
        // The stages hear of the cancel through the event log: a chunk may start in the moment
        // before they do. Once they have (the files are gone), nothing new is asked of the engine.
        await().atMost(Duration.ofSeconds(30)).until(() -> !workLeft(job));
        // Once every stage has read every record, no chunk is left that could still reach the engine.
        awaitSettled();
        assertThat(api.inFlight()).isZero();
        assertThat(api.requestCount()).as("chunks the engine was asked for").isLessThan(CHUNKS);
        assertThat(owner.status(node)).containsEntry("status", "cancelled");
        assertThat(owner.node(node).get("content")).isEqualTo("[Voice note – transcription cancelled]");
        assertThat(records(Topics.TRANSCRIPT_ASSEMBLED, job)).isEmpty();
        web.delete()
                .uri("/api/nodes/{id}/transcription", node)
                .exchange()
                .expectStatus()
                .isEqualTo(409);

        // The recording stays, so its owner can start over.
        api.withLatency(Duration.ZERO);
        web.post()
                .uri("/api/nodes/{id}/transcription/retry", node)
                .exchange()
                .expectStatus()
                .isAccepted();
        Map<String, Object> retried = owner.awaitEnd(node, ENDS_WITHIN);
        assertThat(retried).containsEntry("status", "completed");
        assertThat(owner.job(node)).isNotEqualTo(job);
    }

    @Test
    void redeliveringEveryRecordOfAFinishedJobChangesNothing() throws Exception {
        long node = owner.upload(recording);
        Map<String, Object> done = owner.awaitEnd(node, ENDS_WITHIN);
        assertThat(done).containsEntry("status", "completed");
        UUID job = owner.job(node);
        awaitSettled();
        Map<String, Object> nodeBefore = owner.node(node);
        int calls = api.requestCount();
        Map<String, List<ConsumerRecord<String, byte[]>>> before = new HashMap<>();
        for (String topic : Topics.ALL) {
            before.put(topic, records(topic, job));
        }
        assertThat(before.values().stream().mapToInt(List::size).sum()).isGreaterThan(2 * CHUNKS);

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (List<ConsumerRecord<String, byte[]>> records : before.values()) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    producer.send(new ProducerRecord<>(
                            record.topic(), record.partition(), record.key(), record.value(), record.headers()));
                }
            }
        }
        awaitSettled();

        assertThat(api.requestCount()).as("calls to the engine").isEqualTo(calls);
        assertThat(owner.status(node)).isEqualTo(done);
        assertThat(owner.node(node)).isEqualTo(nodeBefore);
        for (String topic : Topics.ALL) {
            assertThat(records(topic, job))
                    .as("records of the job on " + topic + ": ours and our copies, no new ones")
                    .hasSize(2 * before.get(topic).size());
        }
    }

    private static List<String> paragraphs(String content) {
        return List.of(content.split("\n\n"));
    }

    /** Runs the {@code hark} script at the repository root and returns what it printed; it must succeed. */
    private static String hark(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "../hark"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private String servers() {
        return infrastructure.settings().get("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** Every record of the job on a topic (records are keyed by job), read from the beginning. */
    private List<ConsumerRecord<String, byte[]>> records(String topic, UUID job) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (job.toString().equals(record.key())) {
                        found.add(record);
                    }
                }
            }
            return found;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Hark has done all it will with what is on its topics (see {@link Settled}). */
    void awaitSettled() {
        Map<String, String> db = infrastructure.settings();
        Settled.await(
                servers(),
                () -> DriverManager.getConnection(
                        "jdbc:" + db.get("DATABASE_URL"), db.get("DATABASE_USER"), db.get("DATABASE_PASSWORD")));
    }
}
