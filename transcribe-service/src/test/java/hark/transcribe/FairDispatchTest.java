package hark.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.JobQueued;
import hark.schemas.PriorityChanged;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import hark.testing.StageTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dispatcher on the real broker: four transcribe consumers against a stand-in of the API that
 * takes a second a chunk. A user's chunks are dealt out beside another's long recording, not
 * behind it; a waiting job is told its place; a user of weight 3 gets three consumers to another's
 * one, and that other still gets one; an admin's weight wins over the setting's.
 */
@SpringBootTest(
        classes = TranscribeServiceApplication.class,
        properties = {
            "hark.transcribe.concurrency=4",
            "hark.transcribe.priority-users=vip:3,demoted:5",
            "hark.openai.model=whisper-1",
            "hark.openai.circuit-breaker.minimum-calls=100",
            "hark.openai.circuit-breaker.window=100"
        })
class FairDispatchTest extends StageTest {

    private static final String KEY = "sk-fair-dispatch-test";
    private static final FakeTranscriptionApi API = FakeTranscriptionApi.start(KEY);
    private static final int CONSUMERS = 4;

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("hark.transcribe.engine", () -> "openai");
        registry.add("hark.openai.base-url", API::baseUrl);
        registry.add("hark.openai.api-key", () -> KEY);
    }

    @Autowired
    KafkaAdmin kafka;

    /**
     * Every transcribe consumer has joined and has its partitions (the group forms over seconds on
     * a fresh broker): the rounds below are of four.
     */
    @BeforeEach
    void allConsumersAssigned() {
        try (Admin admin = Admin.create(kafka.getConfigurationProperties())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("hark-transcribe"))
                        .all()
                        .get()
                        .get("hark-transcribe");
                return group.groupState() == GroupState.STABLE
                        && group.members().size() == CONSUMERS
                        && group.members().stream()
                                .noneMatch(m -> m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    @AfterEach
    void resetApi() {
        API.reset();
    }

    @AfterAll
    static void stopApi() {
        API.close();
    }

    /**
     * Alice's 16 chunks fill four rounds of the four consumers; Bob's voice note comes once she
     * holds them all. Before: Bob waited for all 16. Now his chunk goes to the first consumer to
     * free up, before Alice's third round begins.
     */
    @Test
    void aSecondUsersChunkStartsBeforeTheFirstUsersThirdRound() throws IOException {
        API.withLatency(Duration.ofSeconds(2));
        UUID alice = upload("alice", 101);
        UUID bob = upload("bob", 102);
        List<ChunkReady> long_ = chunks(alice, 101, 16, 2000);
        long_.forEach(probe::send);
        await().atMost(Duration.ofSeconds(30)).until(() -> API.inFlight() == CONSUMERS);

        chunks(bob, 102, 1, 3000).forEach(probe::send);

        // Told its place while every consumer is busy, then started.
        assertThat(probe.await(
                                Topics.JOB_PROGRESS,
                                JobQueued.class,
                                e -> e.jobId().equals(bob),
                                1,
                                Duration.ofSeconds(30))
                        .get(0)
                        .position())
                .isEqualTo(1);
        probe.await(
                Topics.JOB_PROGRESS,
                StageStarted.class,
                e -> e.jobId().equals(bob) && e.stage().equals("transcribe"),
                1,
                Duration.ofSeconds(30));
        for (UUID job : List.of(alice, bob)) {
            probe.await(
                    Topics.TRANSCRIPT_ASSEMBLED,
                    TranscriptAssembled.class,
                    e -> e.jobId().equals(job),
                    1,
                    Duration.ofMinutes(2));
        }
        List<Long> order =
                API.requests().stream().map(RecordedRequest::fileSize).toList();
        int bobsFirst = order.indexOf(3000L);
        long aliceBefore =
                order.subList(0, bobsFirst).stream().filter(size -> size < 3000).count();
        assertThat(aliceBefore).as("Alice's chunks started before Bob's").isLessThan(2L * CONSUMERS);
        assertThat(API.peakConcurrency())
                .as("never more chunks in flight than consumers")
                .isEqualTo(CONSUMERS);
    }

    /**
     * Everyone's chunks wait behind a job that holds all four consumers; then they are dealt out
     * by weight: vip (3, from the setting) gets three consumers to demoted's one (5 in the
     * setting, 1 from an admin since) while both have chunks waiting, and demoted is never starved.
     */
    @Test
    void aUserOfWeightThreeGetsThreeConsumersToAnothersOne() throws Exception {
        API.withLatency(Duration.ofSeconds(1));
        probe.send(PriorityChanged.of("demoted", 1));
        UUID blocker = upload("blocker", 201);
        UUID vip = upload("vip", 202);
        UUID demoted = upload("demoted", 203);
        awaitOwnersKnown(blocker, vip, demoted);
        await().atMost(Duration.ofSeconds(30)).until(() -> weight("demoted") == 1);
        chunks(blocker, 201, CONSUMERS, 1000).forEach(probe::send);
        await().atMost(Duration.ofSeconds(30)).until(() -> API.inFlight() == CONSUMERS);

        chunks(vip, 202, 12, 2000).forEach(probe::send);
        chunks(demoted, 203, 12, 3000).forEach(probe::send);
        for (UUID job : List.of(vip, demoted)) {
            probe.await(
                    Topics.TRANSCRIPT_ASSEMBLED,
                    TranscriptAssembled.class,
                    e -> e.jobId().equals(job),
                    1,
                    Duration.ofMinutes(2));
        }

        // The two rounds after the blocker's: eight chunks, dealt while both had plenty waiting.
        List<Long> dealt = API.requests().stream()
                .map(RecordedRequest::fileSize)
                .filter(size -> size >= 2000)
                .limit(2L * CONSUMERS)
                .toList();
        long vips = dealt.stream().filter(size -> size < 3000).count();
        assertThat(vips).as("vip's share of " + dealt).isBetween(5L, 7L);
    }

    private UUID upload(String user, long node) {
        UUID job = UUID.randomUUID();
        probe.send(AudioUploaded.of(job, node, user, "originals/" + job + ".mp3", "audio/mpeg", 1000));
        return job;
    }

    /** The dispatcher has read whose the jobs are (owners come on their own topic). */
    private static void awaitOwnersKnown(UUID... jobs) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = DB.connect();
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT count(*) FROM transcribe.job_owners WHERE job_id IN ('" + jobs[0]
                                    + "', '" + jobs[1] + "', '" + jobs[2] + "')")) {
                rs.next();
                return rs.getInt(1) == jobs.length;
            }
        });
    }

    private static int weight(String user) throws Exception {
        try (Connection c = DB.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT weight FROM transcribe.user_priorities WHERE user_id = '" + user + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Chunk files whose sizes (from {@code base}) tell in the API's log whose chunk each call carried. */
    private List<ChunkReady> chunks(UUID job, long node, int count, int base) throws IOException {
        Path dir = Files.createDirectories(storage.resolve("work").resolve(job.toString()));
        List<ChunkReady> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("chunk-%03d.mp3", i);
            Files.write(dir.resolve(name), new byte[base + i]);
            chunks.add(ChunkReady.of(job, node, i, count, "work/" + job + "/" + name, i * 10.0, i * 10.0 + 10));
        }
        return chunks;
    }
}
