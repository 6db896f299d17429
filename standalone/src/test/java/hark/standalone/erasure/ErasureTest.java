package hark.standalone.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.standalone.Hark;
import hark.standalone.HarkClient;
import hark.standalone.LocalInfrastructure;
import hark.standalone.StandInEngine;
import hark.testing.FakeTranscriptionApi;
import hark.testing.Settled;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Erasure on Hark as {@code ./hark up} runs it (own broker and database, all four services in one
 * process), the engine a stand-in that hears a word found nowhere else. After an erasure that word
 * and the recording's file name are nowhere: not in a file of the data folder (Kafka's log segments
 * read as bytes, the storage), not in a row of any table, not through the API, not after a
 * rebuild of the status view. Before it, the same searches find the word: they can fail.
 */
class ErasureTest {

    private static final String API_KEY = "sk-erasure-test";
    private static final String OPERATOR_PASSWORD = "the operator's own";

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static FakeTranscriptionApi api;
    static HarkClient owner;
    static HarkClient stranger;
    static HarkClient admin;
    static Path recording;

    @BeforeAll
    static void start() throws IOException {
        api = FakeTranscriptionApi.start(API_KEY);
        infrastructure = LocalInfrastructure.start(data, Map.of());
        hark = Hark.run(
                data,
                infrastructure.settings(),
                StandInEngine.settings(
                        api,
                        "--hark.accounts.admin-name=ops",
                        "--hark.accounts.admin-password=" + OPERATOR_PASSWORD,
                        "--hark.transcribe.concurrency=1",
                        "--hark.prep.parallelism=3",
                        "--hark.prep.min-chunk-seconds=1",
                        "--hark.prep.cut-window-seconds=1"));
        owner = HarkClient.signUp(hark, "owner");
        stranger = HarkClient.signUp(hark, "stranger");
        admin = HarkClient.signIn(hark, "ops", OPERATOR_PASSWORD);
        Path dir = Files.createDirectories(data.resolve("uploads"));
        recording = TestAudio.toneWav(dir.resolve("quokkamemo.wav"), 15, 16_000);
    }

    @AfterAll
    static void stop() {
        hark.close();
        infrastructure.close();
        api.close();
    }

    @BeforeEach
    void engine() {
        api.recover();
        api.withLatency(Duration.ZERO);
        api.reset();
    }

    @Test
    void anErasedRecordingLeavesNoWordNoFileNoRowAndDoesNotComeBackInARebuild() throws Exception {
        String word = hears("xylophonia");
        long node = upload(owner);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2)))
                .containsEntry("status", "completed")
                .extractingByKey("content")
                .asString()
                .contains(word);
        UUID job = owner.job(node);
        settled();
        // The searches find what is there: the word in storage and in the view, the job in the log.
        assertThat(filesHolding(data.resolve("storage"), word)).isNotEmpty();
        assertThat(rowsHolding(word)).isNotEmpty();
        assertThat(filesHolding(data.resolve("kafka"), job.toString())).isNotEmpty();
        assertThat(filesHolding(data.resolve("kafka"), word))
                .as("no words travel in events")
                .isEmpty();

        stranger.web()
                .delete()
                .uri("/api/nodes/{id}", node)
                .exchange()
                .expectStatus()
                .isForbidden();
        owner.web()
                .delete()
                .uri("/api/nodes/{id}", node)
                .exchange()
                .expectStatus()
                .isNoContent();
        owner.web().get().uri("/api/nodes/{id}", node).exchange().expectStatus().isNotFound();
        owner.web()
                .delete()
                .uri("/api/nodes/{id}", node)
                .exchange()
                .expectStatus()
                .isNotFound();
        owner.web()
                .delete()
                .uri("/api/nodes/{id}", 987_654)
                .exchange()
                .expectStatus()
                .isNotFound();
        settled();

        assertNothingLeft(node, word);
        admin.web()
                .post()
                .uri("/api/admin/rebuild-status")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isOk();
        settled();
        assertNothingLeft(node, word);
        assertThat(admin.web()
                        .get()
                        .uri("/api/admin/overview")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("erased_recordings"))
                .isInstanceOfSatisfying(
                        Number.class, n -> assertThat(n.longValue()).isPositive());
    }

    @Test
    void aRecordingErasedMidChunkStopsItsWorkAndLeavesNothing() throws Exception {
        String word = hears("quetzalcoatlus");
        api.withLatency(Duration.ofSeconds(2));
        long node = upload(owner);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.requestCount() > 0);

        owner.web()
                .delete()
                .uri("/api/nodes/{id}", node)
                .exchange()
                .expectStatus()
                .isNoContent();
        settled();

        assertThat(api.inFlight()).isZero();
        assertThat(api.requestCount()).as("chunks the engine was asked for").isLessThan(3);
        assertNothingLeft(node, word);
    }

    @Test
    void aRecordingErasedWhileTranscribeServiceIsDownIsErasedThereOnceItIsBack() throws Exception {
        String word = hears("ornithopterix");
        long node = upload(owner);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        UUID job = owner.job(node);
        settled();
        List<MessageListenerContainer> transcribe = transcribeListeners();
        transcribe.forEach(MessageListenerContainer::stop);
        try {
            owner.web()
                    .delete()
                    .uri("/api/nodes/{id}", node)
                    .exchange()
                    .expectStatus()
                    .isNoContent();
            // The rest of Hark has erased its part; transcribe-service's texts are still there.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> owner.status(node) == null
                            && !Files.exists(data.resolve("storage/originals").resolve(job + ".wav")));
            assertThat(filesHolding(data.resolve("storage/texts").resolve(Long.toString(node)), word))
                    .isNotEmpty();
        } finally {
            transcribe.forEach(MessageListenerContainer::start);
        }
        settled();
        assertNothingLeft(node, word);
    }

    @Test
    void anErasedAccountTakesEveryRecordingWithItAndItsNameIsFreeOnlyAfterward() throws Exception {
        String word = hears("pangolinade");
        HarkClient leaver = HarkClient.signUp(hark, "leaver");
        long first = upload(leaver);
        long second = upload(leaver);
        for (long node : List.of(first, second)) {
            assertThat(leaver.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        }

        // First the user takes their data: every recording, transcript and subtitle file, and an index.
        byte[] zip = leaver.web()
                .get()
                .uri("/api/auth/me/export")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("application/zip")
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        Map<String, String> entries = unzip(zip);
        assertThat(entries)
                .containsKeys(
                        "index.json",
                        "notes/" + first + "/recording.wav",
                        "notes/" + first + "/transcript.txt",
                        "notes/" + second + "/transcript.txt");
        assertThat(entries.get("notes/" + second + "/transcript.txt")).contains(word);
        assertThat(entries.get("index.json"))
                .contains("\"username\" : \"leaver\"")
                .contains("\"id\" : " + first)
                .contains("\"title\" : \"quokkamemo\"");
        stranger.web()
                .get()
                .uri("/api/auth/me/export")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .value(theirs -> assertThat(new String(theirs, StandardCharsets.ISO_8859_1))
                        .doesNotContain(word));

        leaver.web()
                .method(org.springframework.http.HttpMethod.DELETE)
                .uri("/api/auth/me")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "a guess"))
                .exchange()
                .expectStatus()
                .isForbidden();
        leaver.web()
                .method(org.springframework.http.HttpMethod.DELETE)
                .uri("/api/auth/me")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isNoContent();
        // Its sign-ins end within moments, once every service has read the revocation.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> leaver.web()
                        .get()
                        .uri("/api/auth/me")
                        .exchange()
                        .expectStatus()
                        .isUnauthorized());
        settled();

        for (long node : List.of(first, second)) {
            admin.web()
                    .get()
                    .uri("/api/nodes/{id}", node)
                    .exchange()
                    .expectStatus()
                    .isNotFound();
            admin.web()
                    .get()
                    .uri("/api/nodes/{id}/transcription-status", node)
                    .exchange()
                    .expectStatus()
                    .isNotFound();
            assertThat(data.resolve("storage/texts").resolve(Long.toString(node)))
                    .doesNotExist();
        }
        assertThat(filesHolding(data.resolve("storage"), word)).isEmpty();
        assertThat(rowsHolding(word)).isEmpty();
        // The name is free again, and whoever takes it finds nothing of the one before.
        HarkClient newcomer = HarkClient.signUp(hark, "leaver");
        assertThat(newcomer.web()
                        .get()
                        .uri("/api/nodes")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("total"))
                .isEqualTo(0);
    }

    /** Entry name to content (as text; a recording's bytes read as Latin-1). */
    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new java.util.HashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(
                        entry.getName(),
                        new String(
                                in.readAllBytes(),
                                entry.getName().endsWith(".wav")
                                        ? StandardCharsets.ISO_8859_1
                                        : StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /** The stand-in hears this word (and a number, so each test's word is its own) in every chunk. */
    private static String hears(String stem) {
        String word = stem + UUID.randomUUID().toString().substring(0, 8);
        api.withTranscriber(upload -> "the " + word + " spoke");
        return word;
    }

    private static long upload(HarkClient client) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(recording))
                .filename("quokkamemo.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));
        Map<?, ?> created = client.web()
                .post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((Number) created.get("id")).longValue();
    }

    private static void assertNothingLeft(long node, String word) throws Exception {
        owner.web().get().uri("/api/nodes/{id}", node).exchange().expectStatus().isNotFound();
        owner.web()
                .get()
                .uri("/api/nodes/{id}/transcription-status", node)
                .exchange()
                .expectStatus()
                .isNotFound();
        owner.web()
                .get()
                .uri("/api/nodes/{id}/transcript", node)
                .exchange()
                .expectStatus()
                .isNotFound();
        owner.web()
                .get()
                .uri("/api/nodes/{id}/audio", node)
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(owner.web()
                        .get()
                        .uri("/api/nodes")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(String.class)
                        .returnResult()
                        .getResponseBody())
                .doesNotContain(word)
                .doesNotContain("\"node_id\":" + node + ",");
        for (String found : List.of(word, "quokkamemo")) {
            assertThat(filesHolding(data.resolve("storage"), found))
                    .as("files holding " + found)
                    .isEmpty();
            assertThat(filesHolding(data.resolve("kafka"), found))
                    .as("log segments holding " + found)
                    .isEmpty();
            assertThat(rowsHolding(found)).as("rows holding " + found).isEmpty();
        }
        assertThat(data.resolve("storage/texts").resolve(Long.toString(node))).doesNotExist();
    }

    /** Files under {@code dir} whose bytes contain {@code text}. */
    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        if (!Files.exists(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try {
                    if (contains(Files.readAllBytes(file), needle)) {
                        found.add(file);
                    }
                } catch (IOException gone) {
                    // removed while the walk went on (a segment rolled, a temp file): not holding it
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** "schema.table.column" of every row, in every table of every Hark schema, that holds {@code text}. */
    private static List<String> rowsHolding(String text) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = connect()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT table_schema, table_name, column_name,"
                            + " data_type FROM information_schema.columns WHERE table_schema NOT IN"
                            + " ('pg_catalog', 'information_schema') AND data_type IN ('text', 'character varying', 'jsonb',"
                            + " 'json', 'bytea')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
            for (String[] col : columns) {
                String value =
                        "bytea".equals(col[3]) ? "encode(\"" + col[2] + "\", 'escape')" : "\"" + col[2] + "\"::text";
                try (var statement = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\".\"" + col[1]
                        + "\" WHERE strpos(" + value + ", ?) > 0")) {
                    statement.setString(1, text);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(col[0] + "." + col[1] + "." + col[2]);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** transcribe-service's consumers: stopped, it is as if the service were down. */
    private static List<MessageListenerContainer> transcribeListeners() {
        List<String> groups = List.of("hark-transcribe", "hark-transcribe-cancel", "hark-dispatch", "hark-assemble");
        return hark.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
                .filter(c -> groups.contains(c.getGroupId()))
                .map(c -> (MessageListenerContainer) c)
                .toList();
    }

    private static Connection connect() throws SQLException {
        Map<String, String> db = infrastructure.settings();
        return DriverManager.getConnection(
                "jdbc:" + db.get("DATABASE_URL"), db.get("DATABASE_USER"), db.get("DATABASE_PASSWORD"));
    }

    private static void settled() {
        Settled.await(infrastructure.settings().get("KAFKA_BOOTSTRAP_SERVERS"), ErasureTest::connect);
    }
}
