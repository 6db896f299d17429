package hark.transcribe;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.kafka.EventRecords;
import hark.schemas.EngineChosen;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.transcribe.engine.EngineAnnouncement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The started service tells the admin overview which engine it chose, and why. */
@SpringBootTest(
        classes = TranscribeServiceApplication.class,
        properties = {"hark.transcribe.engine=auto", "hark.openai.api-key=", EngineAnnouncementTest.NO_MODEL_PROPERTY})
class EngineAnnouncementTest extends StageTest {

    static final String NO_MODEL = "/nonexistent/hark-models/ggml-base.en.bin";
    static final String NO_MODEL_PROPERTY = "hark.whisper.model=" + NO_MODEL;

    @Test
    void theStartedServiceAnnouncesItsEngineAndWhyOnTheEnginesTopic() {
        String instance = EngineAnnouncement.instanceName(System.getenv());

        EngineChosen chosen = probe.awaitRecordsOf(
                        Topics.OPS_ENGINES,
                        EngineChosen.class,
                        c -> c.instance().equals(instance),
                        1,
                        Duration.ofSeconds(30))
                .get(0);

        assertThat(chosen.engine()).isEqualTo("sphinx");
        assertThat(chosen.detail()).isEmpty();
        assertThat(chosen.reason())
                .isEqualTo("HARK_ENGINE=auto, no OPENAI_API_KEY and no Whisper model at " + NO_MODEL
                        + " (./hark model fetch base.en)");
        assertThat(probe.awaitRecords(Topics.OPS_ENGINES, r -> instance.equals(r.key()), 1, Duration.ofSeconds(5)))
                .as("keyed by instance, with its type in the header, as the outbox sends the other records")
                .allSatisfy(r -> assertThat(EventRecords.typeOf(r)).isEqualTo(EngineChosen.TYPE));
    }
}
