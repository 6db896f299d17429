package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.AudioUploaded;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import hark.upload.idempotency.IdempotencyKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Uploads with an {@code Idempotency-Key}: a retry answers the first attempt's node and makes
 * nothing, another body under the key is refused, and requests racing with one key make one node.
 * Each test signs in as a user of its own, since keys are per user.
 */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.upload.max-upload-mb=1")
@AutoConfigureWebTestClient
class IdempotentUploadTest extends StageTest {

    private static final String KEY = "Idempotency-Key";
    private static final String REPLAYED = "Idempotent-Replayed";

    static Path files;
    static Path clip;
    static Path otherClip;

    @Autowired
    WebTestClient web;

    @Autowired
    IdempotencyKeys keys;

    @BeforeAll
    static void audio() throws IOException {
        files = Files.createTempDirectory("idempotent-upload-test");
        clip = TestAudio.toneWav(files.resolve("note.wav"), 1, 16_000);
        otherClip = TestAudio.toneWav(files.resolve("other.wav"), 2, 16_000);
    }

    @AfterAll
    static void cleanup() {
        hark.platform.storage.Storage.deleteTree(files);
    }

    @Test
    void theSameKeyTwiceAnswersTheFirstNodeAndStartsOneJobAndStoresOneRecording() {
        EntityExchangeResult<Map> first = upload("ada", "retry-me-1", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult();
        assertThat(first.getResponseHeaders().getFirst(REPLAYED)).isNull();
        Map<?, ?> made = first.getResponseBody();
        long id = id(made);
        String before = Leftovers.of(DB, storage);

        EntityExchangeResult<Map> again = upload("ada", "retry-me-1", form(clip))
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(REPLAYED, "true")
                .expectHeader()
                .valueEquals(HttpHeaders.LOCATION, "/api/nodes/" + id)
                .expectBody(Map.class)
                .returnResult();

        Map<?, ?> answered = again.getResponseBody();
        assertThat(answered.keySet()).isEqualTo(made.keySet());
        assertThat(answered.get("id")).isEqualTo(made.get("id"));
        assertThat(answered.get("transcription_task_id")).isEqualTo(made.get("transcription_task_id"));
        // No second node, outbox row or event, and no second recording, not even a partial one.
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        awaitSettled();
        assertThat(probe.all(Topics.AUDIO_UPLOADED, AudioUploaded.class, e -> e.nodeId() == id))
                .hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherFileOrAnotherFieldOrTitleIs422AndLeavesNothing() {
        long id = id(upload("bea", "one-key", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        String before = Leftovers.of(DB, storage);

        upload("bea", "one-key", form(otherClip))
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("different upload").contains("new key"));
        var typed = form(clip);
        typed.part("node_type", "memo");
        upload("bea", "one-key", typed).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        var titled = form(clip);
        titled.part("title", "Another name");
        upload("bea", "one-key", titled).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        assertThat(keyRows("bea")).containsExactly("one-key -> " + id);
    }

    @Test
    void anotherUsersSameKeyIsTheirsAlone() {
        long mine = id(upload("cai", "shared-key", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        long theirs = id(upload("dan", "shared-key", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());

        assertThat(theirs).isNotEqualTo(mine);
        // And neither can read the other's node through the key.
        web.get()
                .uri("/api/nodes/{id}", mine)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("dan")))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    /**
     * Four requests with one key whose bodies are held back after their first bytes and then let go
     * together, so that they reach the key's check and the insert at about the same moment.
     */
    @Test
    void requestsWithOneKeyAtTheSameMomentMakeOneNode(@Value("${local.server.port}") int port) throws IOException {
        byte[] wav = Files.readAllBytes(clip);
        String before = Leftovers.database(DB);
        Sinks.Empty<Void> gate = Sinks.empty();
        WebClient client = WebClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("eve")))
                .build();

        var answers = Flux.range(0, 4)
                .flatMap(
                        i -> client.post()
                                .uri("/api/nodes")
                                .header(KEY, "at-once")
                                .contentType(MediaType.MULTIPART_FORM_DATA)
                                .body(BodyInserters.fromMultipartData(
                                        gated(wav, gate).build()))
                                .exchangeToMono(response -> response.toEntity(Map.class)),
                        4)
                .collectList()
                .toFuture();
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        gate.tryEmitEmpty();
        List<ResponseEntity<Map>> all = answers.join();

        assertThat(all).extracting(a -> a.getStatusCode().value()).containsOnly(201, 200);
        assertThat(all).filteredOn(a -> a.getStatusCode().value() == 201).hasSize(1);
        assertThat(all)
                .filteredOn(a -> a.getStatusCode().value() == 200)
                .allSatisfy(a -> assertThat(a.getHeaders().getFirst(REPLAYED)).isEqualTo("true"));
        assertThat(all)
                .extracting(a -> a.getBody().get("id"))
                .containsOnly(all.get(0).getBody().get("id"));
        long id = id(all.get(0).getBody());
        assertThat(nodesOf("eve")).isEqualTo(1);
        assertThat(keyRows("eve")).containsExactly("at-once -> " + id);
        awaitSettled();
        assertThat(probe.all(Topics.AUDIO_UPLOADED, AudioUploaded.class, e -> e.nodeId() == id))
                .hasSize(1);
        assertThat(Leftovers.database(DB)).isNotEqualTo(before);
        assertThat(files(storage.resolve(".partial"))).isEmpty();
        assertThat(files(storage.resolve("originals"))).contains(recordingOf(id));
    }

    /**
     * The race's other path, made certain: the key's row is inserted (and not yet committed) by
     * someone else after this request looked for it, so the request's own insert waits for it, finds
     * it taken once it commits, rolls its node back, removes its stored recording and answers the
     * node the row names.
     */
    @Test
    void aRequestThatLosesItsKeyInTheInsertAnswersTheWinnersNodeAndLeavesNothing() throws Exception {
        long winner = id(upload("fay", "first", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        byte[] digest = digestOf("fay", "first");
        String before = Leftovers.of(DB, storage);

        try (Connection other = DB.connect()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO upload.idempotency_keys"
                    + " (user_id, key, request_digest, node_id) VALUES ('fay', 'raced', ?, ?)")) {
                insert.setBytes(1, digest);
                insert.setLong(2, winner);
                insert.executeUpdate();
            }
            CompletableFuture<EntityExchangeResult<Map>> loser = CompletableFuture.supplyAsync(() ->
                    upload("fay", "raced", form(clip)).expectBody(Map.class).returnResult());
            await().atMost(Duration.ofSeconds(30)).until(this::anInsertWaitsForALock);
            other.commit();

            EntityExchangeResult<Map> answer = loser.join();
            assertThat(answer.getStatus().value()).isEqualTo(200);
            assertThat(answer.getResponseHeaders().getFirst(REPLAYED)).isEqualTo("true");
            assertThat(id(answer.getResponseBody())).isEqualTo(winner);
        }
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        awaitSettled();
        assertThat(probe.all(
                        Topics.AUDIO_UPLOADED,
                        AudioUploaded.class,
                        e -> e.userId().equals("fay")))
                .hasSize(1);
    }

    @Test
    void aKeyThatIsNotAShortPrintableAsciiStringIs400AndLeavesNothing(@Value("${local.server.port}") int port)
            throws IOException {
        String before = Leftovers.of(DB, storage);
        upload("gus", "k".repeat(256), form(clip))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("Idempotency-Key"));
        // What an HTTP client library would not send: blanks, a tab, a control character, a byte past ASCII.
        for (byte[] bad : List.of(
                "   ".getBytes(), "tab\there".getBytes(), new byte[] {'k', 1}, new byte[] {'c', 'a', 'f', (byte) 0xe9
                })) {
            assertThat(rawUpload(port, "gus", bad)).as(Arrays.toString(bad)).isEqualTo(400);
        }
        web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("gus")))
                .header(KEY, "one", "two")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(clip).build()))
                .exchange()
                .expectStatus()
                .isBadRequest();
        // Far past any key: the server refuses the request's head before the application sees it.
        assertThat(rawUpload(port, "gus", "k".repeat(64 * 1024).getBytes())).isBetween(400, 499);
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);

        // The longest key there may be is a key.
        upload("gus", "k".repeat(255), form(clip)).expectStatus().isCreated();
        assertThat(nodesOf("gus")).isEqualTo(1);
    }

    /** An upload of a small form whose key is these bytes as they are; answers the status. */
    private static int rawUpload(int port, String user, byte[] key) throws IOException {
        String body = "--b\r\nContent-Disposition: form-data; name=\"audio_file\"; filename=\"n.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\nRIFF\r\n--b--\r\n";
        var head = new java.io.ByteArrayOutputStream();
        head.write(("POST /api/nodes HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                        + TestTokens.bearer(TestTokens.user(user))
                        + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + body.length()
                        + "\r\n" + KEY + ": ")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        head.write(key);
        head.write(("\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.toByteArray());
            socket.getOutputStream().flush();
            return RawHttp.readStatus(new java.io.BufferedInputStream(socket.getInputStream()));
        }
    }

    @Test
    void aKeyWhoseUploadWasRefusedIsFreeForTheNextAttempt() {
        upload("hal", "after-415", form("notes.wav", "hello, not audio".getBytes()))
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(keyRows("hal")).isEmpty();

        upload("hal", "after-415", form(clip)).expectStatus().isCreated();
    }

    /**
     * Erasing a node erases its key's row with it (its digest fingerprints the recording), so the
     * key makes a new node afterwards rather than answering a node that is gone.
     */
    @Test
    void aKeyWhoseNodeWasErasedMakesANewNode() {
        long erased = id(upload("ida", "erase-me", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        web.delete()
                .uri("/api/nodes/{id}", erased)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user("ida")))
                .exchange()
                .expectStatus()
                .isNoContent();
        assertThat(keyRows("ida")).isEmpty();

        long made = id(upload("ida", "erase-me", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        assertThat(made).isNotEqualTo(erased);
    }

    @Test
    void aKeyPastItsDayCountsNoMoreAndIsSweptAway() throws SQLException {
        long first = id(upload("jo", "yesterday", form(clip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        age("jo");

        // Not yet swept: the old row is taken over by the new upload, whatever its body.
        long second = id(upload("jo", "yesterday", form(otherClip))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody());
        assertThat(second).isNotEqualTo(first);
        assertThat(keyRows("jo")).containsExactly("yesterday -> " + second);

        age("jo");
        assertThat(keys.removeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(keyRows("jo")).isEmpty();
    }

    private WebTestClient.ResponseSpec upload(String user, String key, MultipartBodyBuilder form) {
        return web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.user(user)))
                .header(KEY, key)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }

    private static MultipartBodyBuilder form(Path file) {
        return Uploads.part(file.getFileName().toString(), new FileSystemResource(file));
    }

    private static MultipartBodyBuilder form(String name, byte[] bytes) {
        return Uploads.part(name, new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return name;
            }
        });
    }

    /** The file's first 4 KB at once, the rest once the gate opens. */
    private static MultipartBodyBuilder gated(byte[] wav, Sinks.Empty<Void> gate) {
        var factory = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> body = Flux.concat(
                Flux.just(factory.wrap(Arrays.copyOf(wav, 4096))),
                gate.asMono()
                        .thenMany(
                                Flux.defer(() -> Flux.just(factory.wrap(Arrays.copyOfRange(wav, 4096, wav.length))))));
        var form = new MultipartBodyBuilder();
        form.asyncPart("audio_file", body, DataBuffer.class)
                .filename("note.wav")
                .contentType(MediaType.parseMediaType("audio/wav"));
        return form;
    }

    private static long id(Map<?, ?> node) {
        return ((Number) node.get("id")).longValue();
    }

    private boolean anInsertWaitsForALock() throws SQLException {
        try (Connection c = DB.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND query LIKE 'INSERT INTO upload.idempotency_keys%'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static List<String> keyRows(String user) {
        return query(
                "SELECT key || ' -> ' || node_id FROM upload.idempotency_keys WHERE user_id = ? ORDER BY key", user);
    }

    private static long nodesOf(String user) {
        return Long.parseLong(query("SELECT count(*)::text FROM upload.nodes WHERE user_id = ?", user)
                .get(0));
    }

    private static String recordingOf(long id) {
        String path = query("SELECT audio_path FROM upload.nodes WHERE id::text = ?", Long.toString(id))
                .get(0);
        return path.substring(path.indexOf('/') + 1);
    }

    private static byte[] digestOf(String user, String key) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement select = c.prepareStatement(
                        "SELECT request_digest FROM upload.idempotency_keys WHERE user_id = ? AND key = ?")) {
            select.setString(1, user);
            select.setString(2, key);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static void age(String user) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement update = c.prepareStatement("UPDATE upload.idempotency_keys"
                        + " SET created_at = now() - interval '25 hours' WHERE user_id = ?")) {
            update.setString(1, user);
            update.executeUpdate();
        }
    }

    private static List<String> query(String sql, String parameter) {
        try (Connection c = DB.connect();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rs = select.executeQuery()) {
                var rows = new java.util.ArrayList<String>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (var walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> folder.relativize(file).toString())
                    .toList();
        }
    }
}
