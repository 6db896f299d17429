package hark.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hark.platform.audio.Ffmpeg;
import hark.platform.inbox.StageInbox;
import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.JobQueued;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.testing.SpeechClip;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Feeds the prep stages' input topics on a real broker and reads their output topics. */
@SpringBootTest(classes = AudioPrepServiceApplication.class)
@TestPropertySource(
        properties = {
            "hark.prep.chunk-seconds=12",
            "hark.prep.min-chunk-seconds=1",
            // The 40 s, 1.2 MB talk below takes the long lanes; the 3.5 s clip does not.
            "hark.prep.lanes.long-upload-mb=1",
            "hark.prep.lanes.long-recording-seconds=30",
            "hark.prep.parallelism=1",
            "hark.prep.cut-window-seconds=6",
            // A retried record would take 30 s more: a permanent failure must not wait for that.
            "hark.kafka.retry.attempts=3",
            "hark.kafka.retry.initial-interval=30s",
            "hark.kafka.retry.max-interval=30s"
        })
class AudioPrepStagesTest extends StageTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    EventPublisher publisher;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    @Qualifier("prepOutboxRelay")
    OutboxRelay relay;

    @Autowired
    StageInbox inbox;

    private final Ffmpeg ffmpeg = new Ffmpeg();

    @Test
    void aRecordingIsPreparedForTheOfflineEngineAndAShortOneIsOneChunk() {
        UUID job = UUID.randomUUID();
        String path = original(job, TestAudio.speech(SpeechClip.PRIMARY.file(), storage));

        probe.send(AudioUploaded.of(job, 1, "local", path, "audio/wav", 112_124));

        AudioPrepared prepared = probe.await(
                        Topics.AUDIO_PREPARED,
                        AudioPrepared.class,
                        e -> e.jobId().equals(job),
                        1,
                        patience())
                .get(0);
        probe.await(
                Topics.AUDIO_CHUNKS_WAITING, ChunkReady.class, e -> e.jobId().equals(job), 1, patience());
        awaitSettled();
        assertThat(probe.all(
                        Topics.JOB_PROGRESS, StageStarted.class, e -> e.jobId().equals(job)))
                .extracting(StageStarted::stage)
                .containsExactly("prep");
        assertThat(ffmpeg.probe(storage.resolve(prepared.preparedPath())).isPcmMono(16_000))
                .isTrue();
        assertThat(prepared.durationSeconds()).isCloseTo(3.5, within(0.05));

        assertThat(probe.all(
                        Topics.AUDIO_UPLOADED_LONG,
                        AudioUploaded.class,
                        e -> e.jobId().equals(job)))
                .isEmpty();
        assertThat(probe.all(
                        Topics.AUDIO_PREPARED_LONG,
                        AudioPrepared.class,
                        e -> e.jobId().equals(job)))
                .isEmpty();
        assertThat(probe.all(
                        Topics.AUDIO_CHUNKS_WAITING,
                        ChunkReady.class,
                        e -> e.jobId().equals(job)))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.chunkCount()).isEqualTo(1);
                    assertThat(c.chunkPath()).isEqualTo(prepared.preparedPath());
                    assertThat(c.endSeconds()).isEqualTo(prepared.durationSeconds());
                });
    }

    /**
     * A hand-over to the long lane of an event whose own row is still in the outbox (the relay
     * deletes a row once the broker acked it, and the next stage may read the event before then):
     * both go out. Before, the second row took the event's id, clashed, and was silently dropped,
     * so two of three 20-minute recordings prepared at once were never cut.
     */
    /**
     * Each consumer remembers what it applied on its own: one stage having processed an event says
     * nothing of another stage that reads it too. Rows from before consumers were named (consumer
     * '') count for every consumer, so an upgrade does not redo work.
     */
    @Test
    void whatOneStageProcessedDoesNotMakeAnotherSkipIt() {
        JobQueued event = JobQueued.of(UUID.randomUUID(), 78, 1);
        inbox.finish("first", event, List.of());

        assertThat(inbox.skip("first", event)).isTrue();
        assertThat(inbox.skip("second", event)).isFalse();

        JobQueued older = JobQueued.of(UUID.randomUUID(), 78, 1);
        db.sql("INSERT INTO prep.processed_events (consumer, event_id) VALUES ('', :id)")
                .bind("id", older.eventId())
                .then()
                .block();
        assertThat(inbox.skip("second", older)).isTrue();
    }

    @Test
    void anEventHandedToTheLongLaneWhileItsOwnRowIsStillInTheOutboxIsHandedOver() {
        UUID job = UUID.randomUUID();
        JobQueued event = JobQueued.of(job, 77, 1);
        OutboxWriter outbox = new OutboxWriter(db, publisher, relay);
        tx.transactional(outbox.append(event).then(outbox.append(event, Topics.AUDIO_PREPARED_LONG, null)))
                .block();

        probe.await(Topics.JOB_PROGRESS, JobQueued.class, e -> e.jobId().equals(job), 1, patience());
        probe.awaitRecords(Topics.AUDIO_PREPARED_LONG, r -> job.toString().equals(r.key()), 1, patience());
    }

    @Test
    void aLongRecordingTakesTheLongLanesAndIsCutIntoContiguousChunks() {
        UUID job = UUID.randomUUID();
        Path clip = TestAudio.speech(SpeechClip.PRIMARY.file(), storage);
        Path talk = TestAudio.joinWithPauses(
                storage.resolve("talk.wav"), 5.0, clip, clip, clip, clip, clip, clip, clip, clip);

        probe.send(AudioUploaded.of(job, 2, "local", original(job, talk), "audio/wav", 1_280_044));

        probe.await(
                Topics.AUDIO_CHUNKS_WAITING, ChunkReady.class, e -> e.jobId().equals(job), 4, patience());
        awaitSettled();
        List<ChunkReady> chunks =
                probe
                        .all(
                                Topics.AUDIO_CHUNKS_WAITING,
                                ChunkReady.class,
                                e -> e.jobId().equals(job))
                        .stream()
                        .sorted(Comparator.comparingInt(ChunkReady::chunkIndex))
                        .toList();
        assertThat(chunks).hasSize(4).allSatisfy(c -> assertThat(c.chunkCount()).isEqualTo(4));
        assertThat(chunks.get(0).startSeconds()).isZero();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startSeconds()).isEqualTo(chunks.get(i - 1).endSeconds());
        }
        assertThat(chunks.get(3).endSeconds()).isCloseTo(40.0, within(0.05));
        // Prepared and cut in the long lanes, where it held no short recording back.
        assertThat(probe.all(
                        Topics.AUDIO_UPLOADED_LONG,
                        AudioUploaded.class,
                        e -> e.jobId().equals(job)))
                .hasSize(1);
        assertThat(probe.all(
                        Topics.AUDIO_PREPARED_LONG,
                        AudioPrepared.class,
                        e -> e.jobId().equals(job)))
                .hasSize(1);
    }

    @Test
    void aFileThatIsNotAudioFailsAtOnceWithItsReasonAndADeadLetter() throws IOException {
        UUID job = UUID.randomUUID();
        Path fake = Files.writeString(storage.resolve("shopping.txt"), "eggs, milk, bread\n".repeat(50));

        probe.send(AudioUploaded.of(job, 3, "local", original(job, fake), "audio/mpeg", 900));

        StageFailed failed = probe.await(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, Duration.ofSeconds(15))
                .get(0);
        assertThat(failed.stage()).isEqualTo("prep");
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).isEqualTo("The file is not audio Hark can read (it may be damaged or truncated).");
        awaitSettled();
        assertThat(probe.all(
                        Topics.deadLetter(Topics.AUDIO_UPLOADED),
                        AudioUploaded.class,
                        e -> e.jobId().equals(job)))
                .hasSize(1);
        assertThat(storage.resolve("work").resolve(job.toString())).doesNotExist();
    }

    /**
     * An ID3 tag in front of an HLS playlist that names another user's original: it passes the
     * upload's check (ID3 fronts MP3s), and an ffmpeg left to guess would read the playlist and
     * decode that other file. The other original here is a named pipe: opening it to read is the
     * one thing that would let the writer below through, so its still waiting proves nobody did.
     */
    @Test
    void aPlaylistDisguisedAsMp3FailsAsNotAudioAndTheFileItNamesIsNeverOpened() throws Exception {
        Path victim = Files.createDirectories(storage.resolve("originals")).resolve(UUID.randomUUID() + ".wav");
        assertThat(new ProcessBuilder("mkfifo", victim.toString()).start().waitFor())
                .isZero();
        CountDownLatch opened = new CountDownLatch(1);
        Thread writer = new Thread(
                () -> {
                    try (OutputStream out = Files.newOutputStream(victim)) { // blocks until a reader opens it
                        opened.countDown();
                        out.write(Files.readAllBytes(TestAudio.speech(SpeechClip.PRIMARY.file(), storage)));
                    } catch (IOException ignored) {
                        // the reader went away
                    }
                },
                "victim-writer");
        writer.setDaemon(true);
        writer.start();
        UUID job = UUID.randomUUID();
        Path attack = storage.resolve("attack.mp3");
        Files.write(
                attack,
                ("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000#EXTM3U\n#EXT-X-TARGETDURATION:10\n" + "#EXTINF:3.0,\n"
                                + victim + "\n#EXT-X-ENDLIST\n")
                        .getBytes(StandardCharsets.ISO_8859_1));

        long size = Files.size(attack);
        probe.send(AudioUploaded.of(job, 4, "attacker", original(job, attack), "audio/mpeg", size));

        StageFailed failed = probe.await(
                        Topics.JOB_PROGRESS, StageFailed.class, e -> e.jobId().equals(job), 1, patience())
                .get(0);
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.reason()).contains("not audio");
        awaitSettled();
        assertThat(probe.all(
                        Topics.AUDIO_PREPARED,
                        AudioPrepared.class,
                        e -> e.jobId().equals(job)))
                .isEmpty();
        assertThat(opened.getCount()).as("the other user's original was opened").isEqualTo(1);
        // Let the writer go: open the pipe ourselves.
        try (var reader = Files.newInputStream(victim)) {
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String original(UUID job, Path file) {
        try {
            Path original = storage.resolve("originals").resolve(job + ".bin");
            Files.createDirectories(original.getParent());
            Files.move(file, original);
            return "originals/" + job + ".bin";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Duration patience() {
        return Duration.ofSeconds(60);
    }
}
