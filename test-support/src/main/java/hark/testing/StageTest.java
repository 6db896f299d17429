package hark.testing;

import static org.awaitility.Awaitility.await;

import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.objects.LocalObjectStore;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.TimedText;
import hark.schemas.TranscriptAssembled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of a service test: a real embedded Kafka broker (KRaft, topics created by the service
 * itself), a PostgreSQL database of its own, a storage folder, and a probe on the topics.
 */
@EmbeddedKafka(
        partitions = 3,
        bootstrapServersProperty = StageTest.BOOTSTRAP,
        brokerProperties = "auto.create.topics.enable=false")
@DirtiesContext
// Quick retries by default; a test class can set its own with @TestPropertySource. WebTestClient
// waits 30 s, not 5: on a loaded machine an upload of real audio took longer than 5 s.
@TestPropertySource(
        properties = {
            "hark.kafka.retry.attempts=2",
            "hark.kafka.retry.initial-interval=200ms",
            "hark.kafka.retry.max-interval=500ms",
            "spring.test.webtestclient.timeout=30s"
        })
public abstract class StageTest {

    static final String BOOTSTRAP = "test.kafka.bootstrap";
    protected static final TestDatabase DB = TestDatabase.create();

    @TempDir
    protected static Path storage;

    protected TopicProbe probe;

    @DynamicPropertySource
    static void harkProperties(DynamicPropertyRegistry registry) {
        HarkTestProperties.register(registry, DB, System.getProperty(BOOTSTRAP), storage);
    }

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @BeforeEach
    void openProbe() {
        probe = new TopicProbe(System.getProperty(BOOTSTRAP));
    }

    /**
     * A test starts once every running consumer of the service has its partitions: on a fresh
     * broker the group coordinator takes a while to be ready (many seconds on a loaded machine),
     * and that wait belongs to the setup, not to the test's own time limits.
     */
    @BeforeEach
    void awaitConsumers() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> listeners.getListenerContainers().stream()
                        .filter(MessageListenerContainer::isRunning)
                        .allMatch(c -> c.getAssignedPartitions() != null
                                && !c.getAssignedPartitions().isEmpty()));
    }

    /** Waits until the service has done all it will with what is on the topics (see {@link Settled}). */
    protected void awaitSettled() {
        Settled.await(System.getProperty(BOOTSTRAP), DB::connect);
    }

    /** A chunk's text kept in storage as the transcribe stage keeps it, and the event pointing to it. */
    protected static ChunkTranscribed transcribed(
            ChunkReady chunk, String text, String engine, List<TimedText> segments) {
        return new TranscriptTexts(new LocalObjectStore(storage)).chunk(chunk, text, engine, segments, null);
    }

    /** A transcript kept in storage as the assembly keeps it, and the event pointing to it. */
    protected static TranscriptAssembled assembled(UUID job, long node, String text, int chunks, String engine) {
        String path = new TranscriptTexts(new LocalObjectStore(storage)).transcript(node, job, text);
        return TranscriptAssembled.of(job, node, path, chunks, engine, null);
    }

    /** The text a chunk event points to, as the services read it. */
    protected static TranscriptTexts.ChunkText textOf(ChunkTranscribed event) {
        return new TranscriptTexts(new LocalObjectStore(storage))
                .readChunk(event.textPath())
                .orElseThrow();
    }

    /** The transcript an assembly event points to, as the services read it. */
    protected static String textOf(TranscriptAssembled event) {
        return new TranscriptTexts(new LocalObjectStore(storage))
                .readTranscript(event.textPath())
                .orElseThrow();
    }

    @AfterEach
    void closeProbe() {
        probe.close();
    }
}
