package hark.standalone.containers;

import static org.assertj.core.api.Assertions.assertThat;

import hark.standalone.Hark;
import hark.standalone.HarkClient;
import hark.standalone.LocalInfrastructure;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

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
    static HarkClient user;

    @BeforeAll
    static void start() {
        // Given a broker, the local infrastructure starts only the database: the ./hark up path
        // with KAFKA_BOOTSTRAP_SERVERS set.
        infrastructure =
                LocalInfrastructure.start(data, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers()));
        assertThat(infrastructure.settings()).doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
        Map<String, String> settings = new LinkedHashMap<>(infrastructure.settings());
        settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers());

        hark = Hark.run(data, settings, "--server.port=0");
        user = HarkClient.signUp(hark, "container-user");
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
    void aRealRecordingIsTranscribedThroughTheContainerisedBroker() {
        SpeechClip clip = SpeechClip.PRIMARY;
        Path recording = TestAudio.speech(clip.file(), data);
        long id = user.upload(recording);

        Map<String, Object> last = user.awaitEnd(id, Duration.ofMinutes(4));

        assertThat(last)
                .containsEntry("status", "completed")
                .containsEntry("progress", 100)
                .containsEntry("error", null);
        assertThat((String) last.get("content")).contains(clip.keyWords());
    }
}
