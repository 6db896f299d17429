package hark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeTranscriptionApiTest {

    private static final String KEY = "test-key";
    private static final String BOUNDARY = "hark-test-boundary-7d1f";
    // Binary audio with the bytes that would trip a text-based parser: CR LF, NUL, a fake boundary.
    private static final byte[] AUDIO = concat(
            new byte[] {'R', 'I', 'F', 'F', 0, (byte) 0xFF, '\r', '\n'},
            ("\r\n--" + BOUNDARY.substring(0, 10) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
            new byte[] {0, 1, 2, (byte) 0x80, (byte) 0xFE});

    // HTTP/1.1 so that concurrent requests go over separate connections, as a client pool would.
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeTranscriptionApi api;

    @BeforeEach
    void start() {
        api = FakeTranscriptionApi.start(KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void answersAWellFormedRequestAndRecordsIt() throws Exception {
        HttpResponse<String> response = post(KEY, fields("model", "whisper-1", "language", "en"), "chunk-0.wav", AUDIO);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"text\":\"heard chunk-0.wav (" + AUDIO.length + " bytes)\"}");

        assertThat(api.requestCount()).isEqualTo(1);
        RecordedRequest recorded = api.requests().get(0);
        assertThat(recorded.fields()).containsEntry("model", "whisper-1").containsEntry("language", "en");
        assertThat(recorded.model()).isEqualTo("whisper-1");
        assertThat(recorded.fileName()).isEqualTo("chunk-0.wav");
        assertThat(recorded.fileSize()).isEqualTo(AUDIO.length);
        assertThat(recorded.fileSha256()).isEqualTo(sha256(AUDIO));
        assertThat(recorded.fileHead()).containsExactly(java.util.Arrays.copyOf(AUDIO, RecordedRequest.HEAD_BYTES));
        assertThat(recorded.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(recorded.answeredAt()).isAfterOrEqualTo(recorded.arrivedAt());
    }

    @Test
    void refusesAMissingOrWrongKey() throws Exception {
        HttpResponse<String> missing = post(null, fields("model", "whisper-1"), "a.wav", AUDIO);
        HttpResponse<String> wrong = post("other-key", fields("model", "whisper-1"), "a.wav", AUDIO);

        for (HttpResponse<String> response : List.of(missing, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body())
                    .contains(
                            "\"message\":\"Incorrect API key provided\"",
                            "\"type\":\"invalid_request_error\"",
                            "\"code\":\"invalid_api_key\"");
        }
        assertThat(api.requests()).extracting(RecordedRequest::status).containsExactly(401, 401);
    }

    @Test
    void refusesAFormTheRealApiWouldRefuse() throws Exception {
        HttpResponse<String> noModel = post(KEY, fields("language", "en"), "a.wav", AUDIO);
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(noModel.body()).startsWith("{\"error\":{\"message\":").contains("'model'", "\"param\":\"model\"");

        assertThat(post(KEY, fields("model", "whisper-1"), null, null).statusCode())
                .isEqualTo(400);
        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", new byte[0]).statusCode())
                .isEqualTo(400);
        assertThat(post(KEY, fields("model", "whisper-1"), "chunk-3", AUDIO).body())
                .contains("Invalid file format");
        assertThat(post(KEY, fields("model", "whisper-1", "response_format", "xml"), "a.wav", AUDIO)
                        .statusCode())
                .isEqualTo(400);
        assertThat(post(KEY, fields("model", "whisper-1", "language", "English"), "a.wav", AUDIO)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> notAForm = client.send(
                HttpRequest.newBuilder(URI.create(api.transcriptionsUrl()))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notAForm.statusCode()).isEqualTo(400);
    }

    @Test
    void answersOtherPathsAndMethodsWithNotFoundAndNotAllowed() throws Exception {
        HttpResponse<String> get = client.send(
                HttpRequest.newBuilder(URI.create(api.transcriptionsUrl()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> elsewhere = client.send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/models"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("Invalid URL (GET /v1/models)");
    }

    @Test
    void scriptedRepliesComeFirstInOrder() throws Exception {
        api.enqueue(
                Reply.tooManyRequests(Duration.ofMillis(1500)),
                Reply.status(500, "boom"),
                Reply.malformed(),
                Reply.ok("scripted words"));

        HttpResponse<String> limited = post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2"); // rounded up to whole seconds
        assertThat(limited.body()).contains("\"code\":\"rate_limit_exceeded\"");

        HttpResponse<String> failed = post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("\"message\":\"boom\"", "\"type\":\"server_error\"");

        HttpResponse<String> malformed = post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(malformed.body()).doesNotContain("\"text\"");

        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).body())
                .isEqualTo("{\"text\":\"scripted words\"}");
        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).body())
                .contains("heard a.wav");
        assertThat(api.pendingReplies()).isZero();
    }

    @Test
    void aRefusedRequestDoesNotSpendAScriptedReply() throws Exception {
        api.enqueue(Reply.status(503, "down"));

        assertThat(post("wrong", fields("model", "whisper-1"), "a.wav", AUDIO).statusCode())
                .isEqualTo(401);
        assertThat(post(KEY, fields("language", "en"), "a.wav", AUDIO).statusCode())
                .isEqualTo(400);
        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).statusCode())
                .isEqualTo(503);
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        api.withLatency(Duration.ofMillis(300));

        long started = System.nanoTime();
        HttpResponse<String> response = post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(api.requests().get(0).handlingTime()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void slowRequestsAreServedAtTheSameTime() throws Exception {
        api.enqueue(
                Reply.slow(Duration.ofMillis(700)),
                Reply.slow(Duration.ofMillis(700)),
                Reply.slow(Duration.ofMillis(700)),
                Reply.slow(Duration.ofMillis(700)));

        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(client.sendAsync(
                    request(KEY, fields("model", "whisper-1"), "chunk-" + i + ".wav", AUDIO),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }

        assertThat(api.peakConcurrency()).isEqualTo(4);
        // Served side by side, not one after another (which would take 2.8 s).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2000));
        assertThat(api.inFlight()).isZero();
    }

    @Test
    void aSlowAnswerCountsAsInFlightAndIsRecordedOnlyWhenSent() throws Exception {
        api.enqueue(Reply.slow(Duration.ofMillis(1500)));

        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                request(KEY, fields("model", "whisper-1"), "a.wav", AUDIO), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> api.inFlight() == 1);

        // While it waits out its delay it stays in flight, and a client that gave up now must not find it answered.
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(1))
                .until(() -> api.inFlight() == 1 && api.requestCount() == 0);
        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(api.requestCount()).isEqualTo(1);
        assertThat(api.inFlight()).isZero();
    }

    @Test
    void closingDoesNotWaitForARequestHeldByTheTranscriber() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        api.withTranscriber(upload -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "too late";
        });
        client.sendAsync(
                request(KEY, fields("model", "whisper-1"), "a.wav", AUDIO), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> api.inFlight() == 1);

        long started = System.nanoTime();
        api.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void answersInTheRequestedResponseFormat(@TempDir Path dir) throws Exception {
        api.withTranscriber(upload -> "words of " + upload.sequence());
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(dir.resolve("two-seconds.wav"), 2, 8000));

        HttpResponse<String> text = post(KEY, fields("model", "whisper-1", "response_format", "text"), "a.wav", wav);
        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(text.body()).isEqualTo("words of 0");

        HttpResponse<String> verbose = post(
                KEY, fields("model", "whisper-1", "response_format", "verbose_json", "language", "en"), "a.wav", wav);
        assertThat(verbose.body())
                .contains(
                        "\"text\":\"words of 1\"",
                        "\"language\":\"english\"",
                        "\"duration\":2.000",
                        "\"segments\":[{\"id\":0",
                        "\"start\":0.0",
                        "\"end\":2.000");

        HttpResponse<String> srt = post(KEY, fields("model", "whisper-1", "response_format", "srt"), "a.wav", wav);
        assertThat(srt.body()).isEqualTo("1\n00:00:00,000 --> 00:00:02,000\nwords of 2\n\n");
    }

    @Test
    void anOutageLastsUntilRecovered() throws Exception {
        api.failAll(503);
        for (int i = 0; i < 3; i++) {
            assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).statusCode())
                    .isEqualTo(503);
        }
        api.recover();
        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).statusCode())
                .isEqualTo(200);
        assertThat(api.requestCount()).isEqualTo(4);

        assertThatThrownBy(() -> api.failAll(Reply.ok("no"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetForgetsRequestsAndScript() throws Exception {
        api.enqueue(Reply.status(500, "boom")).failAll(503);
        post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO);

        api.reset();

        assertThat(api.requestCount()).isZero();
        assertThat(api.pendingReplies()).isZero();
        assertThat(post(KEY, fields("model", "whisper-1"), "a.wav", AUDIO).statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> post(String key, Map<String, String> fields, String fileName, byte[] file)
            throws Exception {
        return client.send(request(key, fields, fileName, file), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart request as OpenAI's clients build it; no file part when {@code fileName} is null. */
    private HttpRequest request(String key, Map<String, String> fields, String fileName, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        if (fileName != null) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                            + fileName + "\"\r\nContent-Type: audio/wav\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.transcriptionsUrl()))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder.build();
    }

    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }
}
