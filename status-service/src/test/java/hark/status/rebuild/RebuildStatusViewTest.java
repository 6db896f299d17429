package hark.status.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.platform.kafka.EventRecords;
import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.objects.LocalObjectStore;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.HarkEvent;
import hark.schemas.NoteRetitled;
import hark.schemas.StageFailed;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import hark.status.StatusServiceApplication;
import hark.testing.StageTest;
import hark.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mixed run folded live, then rebuilt from the topics alone: the rebuilt view must be the live
 * one, and the live listener must carry on after the swap exactly where the rebuild stopped.
 */
@SpringBootTest(classes = StatusServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
// Quick to give up on a group that does not empty: the refusal test waits that long.
@TestPropertySource(properties = "hark.status.rebuild.group-empty-timeout=5s")
class RebuildStatusViewTest extends StageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    /** Records put on the status topics by this test; this class's broker holds nothing else. */
    private int sent;

    @Test
    void theRebuiltViewIsTheLiveOneAndTheListenerCarriesOnAfterTheSwap() throws Exception {
        // The test database is shared by the test classes of this JVM: look only at these nodes.
        long base = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
        long doneNode = base;
        long failedNode = base + 1;
        long runningNode = base + 2;
        UUID done = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        List<UUID> jobs = List.of(done, failed, running);
        List<Long> nodes = List.of(doneNode, failedNode, runningNode);

        // Completed, three chunks finishing out of order, one delivered twice, and a late failure
        // that must not move it.
        List<ChunkReady> doneChunks = start(done, doneNode);
        fold(transcribed(doneChunks.get(2), "three", "sphinx", List.of()));
        ChunkTranscribed first = transcribed(doneChunks.get(0), "one", "sphinx", List.of());
        fold(first);
        sendOnly(first);
        fold(transcribed(doneChunks.get(1), "two", "sphinx", List.of()));
        fold(assembled(done, doneNode, "one\n\ntwo\n\nthree", 3, "sphinx"));
        fold(StageFailed.of(done, doneNode, "transcribe", "late", false));
        fold(NoteRetitled.of(done, doneNode, "local", titleFile(doneNode, "Done, renamed")));

        // Failed in preparation; titled at the upload.
        fold(AudioUploaded.of(
                failed,
                failedNode,
                "local",
                "originals/" + failed + ".mp3",
                "audio/mpeg",
                10,
                titleFile(failedNode, "Broken upload")));
        fold(StageStarted.of(failed, failedNode, "prep"));
        fold(StageFailed.of(failed, failedNode, "prep", "The file is not audio Hark can read.", true));

        // In flight: one of three chunks done.
        List<ChunkReady> runningChunks = start(running, runningNode);
        ChunkTranscribed runningFirst = transcribed(runningChunks.get(0), "uno", "sphinx", List.of());
        fold(runningFirst);

        // A record no one can read: the live listener dead-letters it, the rebuild skips it.
        sendUnreadable(running);
        probe.awaitRecords(Topics.deadLetter(Topics.JOB_PROGRESS), r -> true, 1, Duration.ofSeconds(30));

        assertThat(row(done)).containsEntry("status", "completed").containsEntry("chunks_done", "3");
        assertThat(row(failed)).containsEntry("status", "failed");
        assertThat(row(running)).containsEntry("status", "processing").containsEntry("chunks_done", "1");

        // Damage the live view: a job the log knows nothing of, with changes numbered past the
        // real ones. The rebuild drops it; new changes must still number on past it.
        long strayNode = base + 3;
        UUID stray = UUID.randomUUID();
        execute("INSERT INTO status.transcriptions (job_id, node_id, status) VALUES ('" + stray + "', " + strayNode
                + ", 'processing')");
        for (int i = 0; i < 5; i++) {
            execute("INSERT INTO status.changes (job_id, node_id, state) VALUES ('" + stray + "', " + strayNode
                    + ", '{}')");
        }

        List<Map<String, String>> liveTitles = titles(nodes);
        assertThat(liveTitles).extracting(t -> t.get("title")).containsExactly("Done, renamed", "Broken upload");
        // Damage the titles too: the rebuild brings the lost one back from the log.
        execute("DELETE FROM status.titles WHERE node_id = " + doneNode);

        Map<String, Object> liveRows = transcriptions(jobs);
        List<Map<String, String>> liveChunks = chunks(jobs);
        Map<Long, List<Map<String, Object>>> liveChanges = changes(nodes);
        Map<String, String> indexesBefore = indexes();
        long maxSeqBefore = maxSeq();
        double endedBefore = ended();

        Map<String, Object> summary = rebuild();

        assertThat(summary)
                .containsEntry("records", sent)
                .containsEntry("skipped", 1)
                .containsEntry("jobs", 3);
        assertThat(((Number) summary.get("took_ms")).longValue()).isNotNegative();
        assertThat(transcriptions(jobs)).isEqualTo(liveRows);
        assertThat(chunks(jobs)).isEqualTo(liveChunks);
        assertThat(titles(nodes)).isEqualTo(liveTitles);
        assertThat(transcriptions(List.of(stray))).isEmpty();
        assertThat(changes(List.of(strayNode))).isEmpty();
        assertThat(changes(nodes)).isEqualTo(liveChanges);
        // The swapped-in tables carry the migrations' index names, and the copy schema is gone.
        assertThat(indexes()).isEqualTo(indexesBefore);
        assertThat(query("SELECT count(*) FROM pg_namespace WHERE nspname = 'status_rebuild'", rs -> rs.getLong(1)))
                .containsExactly(0L);
        // The group goes on from exactly what the rebuild folded.
        assertThat(committedOffsets()).isEqualTo(endOffsets());
        // A rebuild counts no job as ended again.
        assertThat(ended()).isEqualTo(endedBefore);

        // The live listener is back: a repeat of a folded event changes nothing, a new one is folded.
        int changesBefore = liveChanges.get(runningNode).size();
        sendOnly(runningFirst);
        ChunkTranscribed second = transcribed(runningChunks.get(1), "dos", "sphinx", List.of());
        fold(second);
        assertThat(row(running)).containsEntry("status", "processing").containsEntry("chunks_done", "2");
        assertThat(changes(List.of(runningNode)).get(runningNode)).hasSize(changesBefore + 1);
        // New changes number on from the old table (stray rows included), so an open live stream sees them.
        assertThat(query("SELECT max(seq) FROM status.changes WHERE node_id = " + runningNode, rs -> rs.getLong(1)))
                .allMatch(seq -> seq > maxSeqBefore);
        asAdmin()
                .get()
                .uri("/api/nodes/{id}/transcription-status", runningNode)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.chunks_done")
                .isEqualTo(2);
    }

    @Test
    void aRebuildIsRefusedWhileAnotherRunsOrAnotherConsumerIsInTheGroup() throws Exception {
        // A second consumer in the live group (a second status-service, say) keeps the rebuild
        // from starting: it would go on folding into the tables the swap drops.
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "hark-status",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false");
        try (var other = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            other.subscribe(List.of(Topics.AUDIO_UPLOADED));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                other.poll(Duration.ofMillis(100));
                return !other.assignment().isEmpty();
            });
            var slow = asAdmin();
            CompletableFuture<EntityExchangeResult<byte[]>> first = CompletableFuture.supplyAsync(() -> slow.post()
                    .uri("/api/admin/rebuild-status")
                    .exchange()
                    .expectBody()
                    .returnResult());
            // The first rebuild has stopped the listener and waits for the group to empty.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !listeners.getListenerContainer("hark-status").isRunning());

            slow.post()
                    .uri("/api/admin/rebuild-status")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(409)
                    .expectBody()
                    .jsonPath("$.error")
                    .value(String.class, error -> assertThat(error).contains("already running"));

            EntityExchangeResult<byte[]> refused = first.get(1, TimeUnit.MINUTES);
            assertThat(refused.getStatus().value()).isEqualTo(409);
            assertThat(new String(refused.getResponseBodyContent(), StandardCharsets.UTF_8))
                    .contains("still has members");
        }
        // Refused, and the listener runs again.
        assertThat(listeners.getListenerContainer("hark-status").isRunning()).isTrue();
    }

    @Test
    void aRebuildRunningInAnotherProcessKeepsThisOneOut() throws Exception {
        // Another status-service on the same database, mid-rebuild, holds the rebuild's lock.
        try (Connection other = DB.connect()) {
            other.createStatement().execute("SELECT pg_advisory_lock(hashtext('hark.status.rebuild'))");
            asAdmin()
                    .post()
                    .uri("/api/admin/rebuild-status")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(409)
                    .expectBody()
                    .jsonPath("$.error")
                    .value(String.class, error -> assertThat(error).contains("another status-service"));
        }
        // Turned away before it touched anything: the listener never stopped.
        assertThat(listeners.getListenerContainer("hark-status").isRunning()).isTrue();
    }

    @Test
    void onlyAnAdminMayRebuild() {
        web.post().uri("/api/admin/rebuild-status").exchange().expectStatus().isUnauthorized();
        web.post()
                .uri("/api/admin/rebuild-status")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("local")))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    private List<ChunkReady> start(UUID job, long node) {
        fold(AudioUploaded.of(job, node, "local", "originals/" + job + ".wav", "audio/wav", 10));
        fold(StageStarted.of(job, node, "prep"));
        fold(AudioPrepared.of(job, node, "work/" + job + "/prepared.mp3", "mp3", 90, 1_440_000, true));
        List<ChunkReady> chunks = List.of(
                ChunkReady.of(job, node, 0, 3, "c0", 0, 30),
                ChunkReady.of(job, node, 1, 3, "c1", 30, 60),
                ChunkReady.of(job, node, 2, 3, "c2", 60, 90));
        chunks.forEach(this::fold);
        return chunks;
    }

    /**
     * Sends and waits until the live view has folded it, so the live view folds in send order;
     * the rebuild, reading several topics, has to find that order again.
     */
    private void fold(HarkEvent event) {
        sendOnly(event);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !query(
                                "SELECT 1 FROM status.processed_events WHERE event_id = '" + event.eventId() + "'",
                                rs -> rs.getInt(1))
                        .isEmpty());
    }

    private static String titleFile(long node, String title) {
        return new TranscriptTexts(new LocalObjectStore(storage)).title(node, title);
    }

    private void sendOnly(HarkEvent event) {
        probe.send(event);
        sent++;
    }

    private void sendUnreadable(UUID job) {
        var record = EventRecords.record(
                Topics.JOB_PROGRESS, null, job.toString(), "StageFailed", "{not json".getBytes(StandardCharsets.UTF_8));
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        sent++;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rebuild() {
        return asAdmin()
                .post()
                .uri("/api/admin/rebuild-status")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    /** The rebuild is for admins; it takes seconds, more than the client's default wait. */
    private WebTestClient asAdmin() {
        return web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("ops")))
                .responseTimeout(Duration.ofMinutes(2))
                .build();
    }

    /** One job's row as text, column by column. */
    private Map<String, String> row(UUID job) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String> row =
                (Map<String, String>) transcriptions(List.of(job)).get(job.toString());
        return row;
    }

    /**
     * The jobs' rows without {@code updated_at}: that one is the database's clock at the fold, so
     * it differs between the live fold and the rebuild by nature.
     */
    private Map<String, Object> transcriptions(List<UUID> jobs) throws SQLException {
        Map<String, Object> rows = new TreeMap<>();
        for (Map<String, String> row : rows("SELECT * FROM status.transcriptions WHERE job_id = ANY(?)", jobs)) {
            row.remove("updated_at");
            rows.put(row.get("job_id"), row);
        }
        return rows;
    }

    private List<Map<String, String>> titles(List<Long> nodes) throws SQLException {
        List<Map<String, String>> titles = new ArrayList<>();
        String sql = "SELECT node_id, user_id, title, titled_at, search FROM status.titles WHERE node_id = ANY(?)"
                + " ORDER BY node_id";
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("bigint", nodes.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> row = new TreeMap<>();
                    for (String column : List.of("node_id", "user_id", "title", "titled_at", "search")) {
                        row.put(column, rs.getString(column));
                    }
                    titles.add(row);
                }
            }
        }
        return titles;
    }

    private List<Map<String, String>> chunks(List<UUID> jobs) throws SQLException {
        return rows("SELECT * FROM status.chunks WHERE job_id = ANY(?) ORDER BY job_id, chunk_index", jobs);
    }

    /**
     * Each node's change log in order, the states as the API answered them, without
     * {@code eta_seconds} (computed from the clock at the fold). {@code seq} and {@code at} are
     * left out: numbers and clock times of the writing, not the view.
     */
    @SuppressWarnings("unchecked")
    private Map<Long, List<Map<String, Object>>> changes(List<Long> nodes) throws SQLException {
        Map<Long, List<Map<String, Object>>> changes = new TreeMap<>();
        String sql = "SELECT node_id, state::text FROM status.changes WHERE node_id = ANY(?) ORDER BY seq";
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("bigint", nodes.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> state = JSON.readValue(rs.getString(2), LinkedHashMap.class);
                    state.remove("eta_seconds");
                    changes.computeIfAbsent(rs.getLong(1), n -> new ArrayList<>())
                            .add(state);
                }
            }
        }
        return changes;
    }

    private List<Map<String, String>> rows(String sql, List<UUID> jobs) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new TreeMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private Map<String, String> indexes() throws SQLException {
        Map<String, String> indexes = new TreeMap<>();
        for (String line : query(
                "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'status'",
                rs -> rs.getString(1))) {
            indexes.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
        }
        return indexes;
    }

    private long maxSeq() throws SQLException {
        return query("SELECT coalesce(max(seq), 0) FROM status.changes", rs -> rs.getLong(1))
                .get(0);
    }

    private double ended() {
        return meters.find("hark.jobs.ended").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DB.connect()) {
            c.createStatement().execute(sql);
        }
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(String sql, Column<T> column) throws SQLException {
        List<T> values = new ArrayList<>();
        try (Connection c = DB.connect();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(column.read(rs));
            }
        }
        return values;
    }

    private Map<TopicPartition, Long> committedOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets("hark-status")
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .forEach((partition, offset) -> offsets.put(partition, offsetOf(offset)));
            return offsets;
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        List<String> topics = List.of(
                Topics.AUDIO_UPLOADED,
                Topics.JOB_PROGRESS,
                Topics.AUDIO_PREPARED,
                Topics.AUDIO_CHUNKS_WAITING,
                Topics.AUDIO_CHUNKS,
                Topics.TRANSCRIPT_CHUNKS,
                Topics.TRANSCRIPT_ASSEMBLED);
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .values()
                    .forEach(topic -> topic.partitions()
                            .forEach(p ->
                                    latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        }
    }

    private static Long offsetOf(OffsetAndMetadata offset) {
        return offset == null ? null : offset.offset();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    private static String bootstrap() {
        return System.getProperty("test.kafka.bootstrap");
    }
}
