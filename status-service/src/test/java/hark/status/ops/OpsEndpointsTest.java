package hark.status.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.EngineChosen;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.status.StatusServiceApplication;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The operator's endpoints against a real broker and database: health, Prometheus, the admin overview. */
@SpringBootTest(
        classes = StatusServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.status.lag-refresh=500ms")
@AutoConfigureWebTestClient
class OpsEndpointsTest extends StageTest {

    private static final Pattern COMPLETED =
            Pattern.compile("(?m)^hark_jobs_ended_total\\{[^}]*status=\"completed\"[^}]*} (\\S+)$");

    @Autowired
    WebTestClient web;

    @BeforeEach
    void signIn() {
        web = web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("operator")))
                .build();
    }

    @Value("${test.kafka.bootstrap}")
    String bootstrap;

    @Test
    void theEventTopicsAreKeptForGoodAndDeadLettersForThirtyDays() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var events = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIO_UPLOADED);
            var deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, Topics.deadLetter(Topics.AUDIO_UPLOADED));
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(events, deadLetters)).all().get();

            // The status view is rebuilt from the event log, so the log must outlive every job in it.
            assertThat(configs.get(events).get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo("-1");
            assertThat(configs.get(deadLetters)
                            .get(TopicConfig.RETENTION_MS_CONFIG)
                            .value())
                    .isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
        }
    }

    @Test
    void healthIsUpWithKafkaAndThePostgresConnection() {
        Map<String, Object> health = json("/actuator/health");
        assertThat(health).containsEntry("status", "UP");
        Map<String, Object> components = map(health.get("components"));
        assertThat(map(components.get("kafka"))).containsEntry("status", "UP");
        assertThat(map(map(components.get("kafka")).get("details")))
                .containsKey("clusterId")
                .containsEntry("nodes", 1);
        assertThat(map(components.get("r2dbc"))).containsEntry("status", "UP");
    }

    @Test
    void prometheusShowsJobMetersAndTheLagOfEveryStage() {
        // NaN until the first measurement; a number for every stage group once measured.
        String scrape = await().atMost(Duration.ofSeconds(20))
                .until(
                        this::prometheus,
                        text -> ConsumerLag.STAGES.stream()
                                .allMatch(stage -> Pattern.compile(
                                                "(?m)^hark_consumer_lag\\{group=\"hark-" + stage + "\"} \\d")
                                        .matcher(text)
                                        .find()));
        assertThat(scrape).contains("hark_jobs_ended_total{status=\"completed\"}", "hark_job_duration_seconds_bucket");
    }

    @Test
    void overviewCountsEndedJobsLagAndDeadLetters() {
        double completedBefore = completedTotal(prometheus());
        long done = 910_001;
        long broken = 910_002;
        long running = 910_003;
        UUID doneJob = UUID.randomUUID();
        UUID brokenJob = UUID.randomUUID();
        UUID runningJob = UUID.randomUUID();
        probe.send(AudioUploaded.of(doneJob, done, "local", "originals/" + doneJob + ".wav", "audio/wav", 10));
        probe.send(assembled(doneJob, done, "all done", 1, "sphinx"));
        probe.send(AudioUploaded.of(brokenJob, broken, "local", "originals/" + brokenJob + ".wav", "audio/wav", 10));
        probe.send(StageFailed.of(brokenJob, broken, "prep", "not audio", true));
        probe.send(AudioUploaded.of(runningJob, running, "local", "originals/" + runningJob + ".wav", "audio/wav", 10));
        probe.send(StageStarted.of(runningJob, running, "prep"));
        sendDeadLetter(Topics.deadLetter(Topics.AUDIO_UPLOADED));

        Map<String, Object> overview = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> json("/api/admin/overview"),
                        o -> count(o, "jobs", "completed") >= 1
                                && count(o, "jobs", "failed") >= 1
                                && map(o.get("lag")).size() == ConsumerLag.STAGES.size()
                                && count(o, "dead_letters", "audio.uploaded.dlt") >= 1
                                && o.get("oldest_running") != null);

        assertThat(map(overview.get("jobs")))
                .containsOnlyKeys("pending", "processing", "completed", "failed", "cancelled");
        assertThat(map(overview.get("lag")))
                .containsOnlyKeys(ConsumerLag.STAGES.toArray(String[]::new))
                .allSatisfy(
                        (stage, lag) -> assertThat(((Number) lag).longValue()).isNotNegative());
        assertThat(map(overview.get("dead_letters"))).hasSize(Topics.ALL.size());
        assertThat(map(overview.get("oldest_running")))
                .containsEntry("status", "processing")
                .containsKeys("node_id", "stage", "started_at")
                .hasEntrySatisfying(
                        "running_seconds",
                        seconds -> assertThat(((Number) seconds).longValue()).isNotNegative());
        assertThat(((Number) overview.get("stalled_total")).longValue()).isNotNegative();
        // The counter moves as the view folds the completion, which may be a moment after the row.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(completedTotal(prometheus())).isGreaterThanOrEqualTo(completedBefore + 1));

        // Leave no running job behind for the watchdog of a later test class sharing the database.
        probe.send(assembled(runningJob, running, "finished", 1, "sphinx"));
    }

    @Test
    void overviewListsTheEngineEachTranscribeInstanceLastAnnounced() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var engines = new ConfigResource(ConfigResource.Type.TOPIC, Topics.OPS_ENGINES);
            // Created by this service too, so its feed finds the topic whichever service starts first.
            assertThat(admin.describeConfigs(List.of(engines))
                            .all()
                            .get()
                            .get(engines)
                            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                            .value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        probe.send(EngineChosen.of("transcribe-b", "sphinx", "", "HARK_ENGINE=sphinx"));
        probe.send(EngineChosen.of(
                "transcribe-a", "sphinx", "", "HARK_ENGINE=auto, no OPENAI_API_KEY and no Whisper model at m.bin"));
        EngineChosen restarted = EngineChosen.of(
                "transcribe-a",
                "whisper",
                "ggml-base.en.bin, English only, 4 threads per chunk",
                "HARK_ENGINE=whisper");
        probe.send(restarted);

        List<Map<String, Object>> engines = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> list(json("/api/admin/overview").get("engines")),
                        listed -> listed.size() == 2
                                && "whisper".equals(listed.get(0).get("engine")));

        assertThat(engines.get(0))
                .containsOnlyKeys("instance", "engine", "detail", "reason", "chosen_at")
                .containsEntry("instance", "transcribe-a")
                .containsEntry("detail", "ggml-base.en.bin, English only, 4 threads per chunk")
                .containsEntry("reason", "HARK_ENGINE=whisper")
                .containsEntry("chosen_at", restarted.occurredAt().toString());
        assertThat(engines.get(1))
                .containsEntry("instance", "transcribe-b")
                .containsEntry("engine", "sphinx")
                .containsEntry("detail", "")
                .containsEntry("reason", "HARK_ENGINE=sphinx");
    }

    private void sendDeadLetter(String topic) {
        var config = Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "dead", "unreadable".getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String prometheus() {
        return web.get()
                .uri("/actuator/prometheus")
                .accept(MediaType.TEXT_PLAIN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    private static double completedTotal(String scrape) {
        Matcher m = COMPLETED.matcher(scrape);
        assertThat(m.find()).as("completed counter in %s", scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private Map<String, Object> json(String uri) {
        return map(web.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
    }

    private static long count(Map<String, Object> overview, String section, String key) {
        Object value = overview.get(section) == null
                ? null
                : map(overview.get(section)).get(key);
        return value == null ? -1 : ((Number) value).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
