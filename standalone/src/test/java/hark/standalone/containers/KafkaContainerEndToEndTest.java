package hark.standalone.containers;

import hark.standalone.Hark;
import hark.standalone.LocalInfrastructure;
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
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hark against a Kafka broker it did not start: the official Apache Kafka image in KRaft mode, as
 * docker-compose runs it, reached only through {@code KAFKA_BOOTSTRAP_SERVERS}. The embedded
 * broker of every other test shares the JVM with Hark; this one checks that topic creation,
 * consumer groups and the outbox relay work over a real network listener too.
 *
 * <p>Skipped, not failed, where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerEndToEndTest {

    /** The broker release the services' Kafka client (4.1.x) belongs to. */
    private static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    @Container
    static final KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);

    @TempDir
    static Path data;
    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static WebTestClient web;

    @BeforeAll
    static void start() {
        // Given a broker, the local infrastructure starts only the database: the ./hark up path
        // with KAFKA_BOOTSTRAP_SERVERS set.
        infrastructure = LocalInfrastructure.start(data, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers()));
        assertThat(infrastructure.settings()).doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
        Map<String, String> settings = new LinkedHashMap<>(infrastructure.settings());
        settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers());

        hark = Hark.run(data, settings, "--server.port=0");
        web = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + hark.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
        String token = (String) web.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "container-user", "password", "a long enough secret")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("token");
        web = web.mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }

    @AfterAll
    static void stop() {
        if (hark != null) {
            hark.close();
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
        // Hark.run publishes its settings as system properties; this broker is gone after the
        // class, so a later test in the same JVM must not find its address there.
        System.clearProperty("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRealRecordingIsTranscribedThroughTheContainerisedBroker() {
        SpeechClip clip = SpeechClip.PRIMARY;
        Path recording = TestAudio.speech(clip.file(), data);
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(recording))
                .filename(recording.getFileName().toString()).contentType(MediaType.parseMediaType("audio/wav"));

        Map<String, Object> node = web.post().uri("/api/nodes").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Object id = node.get("id");

        Map<String, Object> last = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var result = web.get().uri("/api/nodes/{id}/transcription-status", id).exchange()
                            .expectBody(Map.class).returnResult();
                    // 404 until the status view has folded the upload.
                    return result.getStatus().value() == 404 ? null : (Map<String, Object>) result.getResponseBody();
                }, s -> s != null && ("completed".equals(s.get("status")) || "failed".equals(s.get("status"))));

        assertThat(last).containsEntry("status", "completed").containsEntry("progress", 100)
                .containsEntry("error", null);
        assertThat((String) last.get("content")).contains(clip.keyWords());
    }
}
