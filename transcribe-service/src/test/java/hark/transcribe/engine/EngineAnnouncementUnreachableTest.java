package hark.transcribe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

@ExtendWith(OutputCaptureExtension.class)
class EngineAnnouncementUnreachableTest {

    @Test
    void aBrokerThatDoesNotAnswerIsWarnedOfAndDoesNotHoldUpTheStart(CapturedOutput output) {
        var producers = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "127.0.0.1:1",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        6000),
                new StringSerializer(),
                new ByteArraySerializer());
        var selected = new EngineSelection.Selected(new NamedEngine("sphinx"), "", "HARK_ENGINE=sphinx");
        var announcement = new EngineAnnouncement(new KafkaTemplate<>(producers), new EventCodec(), selected, "t-1");
        try {
            long started = System.nanoTime();
            announcement.onApplicationEvent(
                    new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ZERO));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() -> assertThat(output.getOut())
                            .contains("Could not announce the engine (sphinx on t-1) on ops.engines"));
        } finally {
            producers.destroy();
        }
    }

    @Test
    void theInstanceIsTheContainersHostNameElseThisMachines() {
        assertThat(EngineAnnouncement.instanceName(Map.of("HOSTNAME", "transcribe-3")))
                .isEqualTo("transcribe-3");
        assertThat(EngineAnnouncement.instanceName(Map.of("HOSTNAME", " "))).isNotBlank();
        assertThat(EngineAnnouncement.instanceName(Map.of())).isNotBlank();
    }

    /** Only a name: the announcement asks nothing else of the engine. */
    private record NamedEngine(String name) implements TranscriptionEngine {
        @Override
        public EngineInput input() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Transcript transcribe(Path audio) {
            throw new UnsupportedOperationException();
        }
    }
}
