package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.StageFailed;
import hark.schemas.TranscriptAssembled;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import hark.upload.webhook.CallbackAddresses;
import hark.upload.webhook.WebhookDeliveries;
import hark.upload.webhook.WebhookProperties;
import hark.upload.webhook.WebhookSender;
import hark.upload.webhook.WebhookSignature;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed webhooks end to end: an upload names a local receiver, job-end events go on the topics,
 * and the receiver's calls are checked with the secret as its owner was shown it. Back-off and
 * leases are seconds here, not minutes.
 */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestPropertySource(
        properties = {
            "hark.webhooks.allow-private=true",
            "hark.webhooks.backoff=500ms",
            "hark.webhooks.poll-interval=200ms",
            "hark.webhooks.connect-timeout=1s",
            "hark.webhooks.read-timeout=2s",
            "hark.webhooks.lease=8s",
            "hark.webhooks.public-url=https://hark.example.org/"
        })
class WebhookTest extends StageTest {

    private static LocalReceiver receiver;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    WebhookSender sender;

    @Autowired
    WebhookDeliveries deliveries;

    @Autowired
    CallbackAddresses addresses;

    @Autowired
    WebhookProperties props;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new LocalReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void eachJobEndIsCalledBackOnceSignedAndARedeliveredEventCallsNoMore() {
        String user = bearer("hooked");
        byte[] key = WebhookSignature.keyOf(newSecret(user));

        Map<?, ?> done = upload(user, "done.wav", receiver.url("/done"));
        TranscriptAssembled assembled = assembled(job(done), id(done), "the transcript", 1, "whisper-1");
        probe.send(assembled);
        LocalReceiver.Call call = awaitCalls("/done", 1).get(0);
        Map<?, ?> body = verified(call, key);
        assertThat(body.get("type")).isEqualTo("transcription.completed");
        Map<?, ?> data = (Map<?, ?>) body.get("data");
        assertThat(data.get("status")).isEqualTo("completed");
        assertThat(((Number) data.get("node_id")).longValue()).isEqualTo(id(done));
        assertThat(data.get("job_id")).isEqualTo(job(done).toString());
        assertThat(((Map<?, ?>) data.get("links")).get("transcript"))
                .isEqualTo("https://hark.example.org/api/nodes/" + id(done) + "/transcript");
        assertThat(call.body()).doesNotContain("the transcript");

        Map<?, ?> failed = upload(user, "failed.wav", receiver.url("/failed"));
        probe.send(StageFailed.of(job(failed), id(failed), "prep", "The file is not audio", true));
        Map<?, ?> failure =
                (Map<?, ?>) verified(awaitCalls("/failed", 1).get(0), key).get("data");
        assertThat(failure.get("status")).isEqualTo("failed");
        assertThat(failure.get("error")).isEqualTo("The file is not audio");

        Map<?, ?> cancelled = upload(user, "cancelled.wav", receiver.url("/cancelled"));
        web.delete()
                .uri("/api/nodes/{id}/transcription", id(cancelled))
                .header(HttpHeaders.AUTHORIZATION, user)
                .exchange()
                .expectStatus()
                .isAccepted();
        Map<?, ?> cancel =
                (Map<?, ?>) verified(awaitCalls("/cancelled", 1).get(0), key).get("data");
        assertThat(cancel.get("status")).isEqualTo("cancelled");

        // The same events again, as a redelivery or a replay of the topics brings them.
        probe.send(assembled);
        probe.send(StageFailed.of(job(failed), id(failed), "prep", "The file is not audio", true));
        awaitSettled();
        pause(Duration.ofSeconds(2));
        assertThat(receiver.calls("/done")).hasSize(1);
        assertThat(receiver.calls("/failed")).hasSize(1);
        assertThat(receiver.calls("/cancelled")).hasSize(1);

        List<Map<?, ?>> listed = listed(user);
        assertThat(listed).hasSize(3).allSatisfy(d -> {
            assertThat(d.get("state")).isEqualTo("delivered");
            assertThat((List<?>) d.get("attempts")).hasSize(1);
        });
        // Nobody else sees them.
        assertThat(listed(bearer("someone-else"))).isEmpty();
    }

    @Test
    void aReceiverAnswering500ThreeTimesGetsTheCallOnTheFourthTry() {
        String user = bearer("flaky");
        byte[] key = WebhookSignature.keyOf(newSecret(user));
        receiver.script("/flaky", 500, 500, 500);

        Map<?, ?> node = upload(user, "flaky.wav", receiver.url("/flaky"));
        probe.send(assembled(job(node), id(node), "text", 1, "whisper-1"));

        List<LocalReceiver.Call> calls = awaitCalls("/flaky", 4);
        calls.forEach(call -> verified(call, key));
        assertThat(calls.stream().map(c -> c.header("webhook-id")).distinct()).hasSize(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "delivered".equals(listed(user).get(0).get("state")));
        pause(Duration.ofSeconds(2));
        assertThat(receiver.calls("/flaky")).hasSize(4);
        List<?> attempts = (List<?>) listed(user).get(0).get("attempts");
        assertThat(statuses(attempts)).containsExactly(500, 500, 500, 200);
    }

    /** A redirect is a failed try, never followed: a public receiver must not lead Hark elsewhere. */
    @Test
    void aRedirectIsNotFollowedButTriedAgainLater() {
        String user = bearer("redirected");
        newSecret(user);
        receiver.script("/moved", 302);
        Map<?, ?> node = upload(user, "moved.wav", receiver.url("/moved"));
        probe.send(assembled(job(node), id(node), "text", 1, "whisper-1"));
        awaitCalls("/moved", 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "delivered".equals(listed(user).get(0).get("state")));
        assertThat(receiver.calls(LocalReceiver.LANDED)).isEmpty();
        assertThat(statuses((List<?>) listed(user).get(0).get("attempts"))).containsExactly(302, 200);
    }

    /** Cloud metadata stays out of reach even where private receivers are allowed, as in this test. */
    @Test
    void aCallbackToTheMetadataAddressIsRefusedAtUpload() {
        String user = bearer("prober");
        newSecret(user);
        String before = Leftovers.of(DB, storage);
        for (String url : List.of(
                "http://169.254.169.254/",
                "http://[fe80::1]/x",
                "http://0.0.0.0/",
                "file:///etc/passwd",
                "gopher://x/")) {
            uploadSpec(user, "probe.wav", url)
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.error")
                    .value(m -> assertThat((String) m).containsIgnoringCase("callback URL"));
        }
        web.put()
                .uri("/api/webhooks/settings")
                .header(HttpHeaders.AUTHORIZATION, user)
                .bodyValue(Map.of("default_url", "http://169.254.169.254/latest/meta-data/"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        // No secret yet: nothing could sign the calls.
        uploadSpec(bearer("secretless"), "probe.wav", receiver.url("/x"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("POST /api/webhooks/secret"));
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
    }

    /**
     * The README's flow for a program: signed in, make the secret and a key; with the key, upload
     * naming a callback; the call checks out with the secret. A key cannot make or replace a secret.
     */
    @Test
    void aProgramWithAKeyUploadsWithACallbackButCannotMakeASecret() throws SQLException {
        // An account row of its own: a sign-up over HTTP would spend one of the sign-ups per hour that
        // every test of this JVM shares (one database, one client address).
        try (Connection c = DB.connect()) {
            c.createStatement()
                    .execute("INSERT INTO upload.accounts (username, password_hash) VALUES ('recorder', 'unused')");
        }
        String token = bearer("recorder");
        byte[] signingKey = WebhookSignature.keyOf(newSecret(token));
        String apiKey = "Bearer "
                + web.post()
                        .uri("/api/auth/keys")
                        .header(HttpHeaders.AUTHORIZATION, token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", "recorder"))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("key");
        // A service takes a key once its feed of keys has brought the key's issue.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> web.get()
                        .uri("/api/webhooks/settings")
                        .header(HttpHeaders.AUTHORIZATION, apiKey)
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .is2xxSuccessful());
        web.post()
                .uri("/api/webhooks/secret")
                .header(HttpHeaders.AUTHORIZATION, apiKey)
                .exchange()
                .expectStatus()
                .isForbidden();

        Map<?, ?> node = upload(apiKey, "program.wav", receiver.url("/program"));
        probe.send(assembled(job(node), id(node), "text", 1, "whisper-1"));
        verified(awaitCalls("/program", 1).get(0), signingKey);
    }

    @Test
    void aUsersDefaultCallbackServesUploadsThatNameNone() {
        String user = bearer("defaulted");
        byte[] key = WebhookSignature.keyOf(newSecret(user));
        web.put()
                .uri("/api/webhooks/settings")
                .header(HttpHeaders.AUTHORIZATION, user)
                .bodyValue(Map.of("default_url", receiver.url("/default")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.default_url")
                .isEqualTo(receiver.url("/default"))
                .jsonPath("$.has_secret")
                .isEqualTo(true);
        Map<?, ?> node = upload(user, "plain.wav", null);
        probe.send(assembled(job(node), id(node), "text", 1, "whisper-1"));
        verified(awaitCalls("/default", 1).get(0), key);
    }

    /**
     * The sender stops while the receiver holds its call, as a killed process would; a sender
     * started afterwards over the same database sends the call again under the same webhook-id,
     * and it is delivered once.
     */
    @Test
    void aCallCutOffMidSendIsSentAgainByTheNextSender() {
        String user = bearer("restarted");
        byte[] key = WebhookSignature.keyOf(newSecret(user));
        receiver.script("/held", LocalReceiver.HOLD);

        Map<?, ?> node = upload(user, "held.wav", receiver.url("/held"));
        probe.send(assembled(job(node), id(node), "text", 1, "whisper-1"));
        awaitCalls("/held", 1);
        sender.stop();
        WebhookSender next = new WebhookSender(deliveries, addresses, props);
        try {
            next.start();
            List<LocalReceiver.Call> calls = awaitCalls("/held", 2);
            assertThat(calls.get(1).header("webhook-id")).isEqualTo(calls.get(0).header("webhook-id"));
            verified(calls.get(1), key);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "delivered".equals(listed(user).get(0).get("state")));
            pause(Duration.ofSeconds(2));
            assertThat(receiver.calls("/held")).hasSize(2);
            List<?> attempts = (List<?>) listed(user).get(0).get("attempts");
            // The first try was cut off and says so by having no outcome; the second was answered.
            assertThat(statuses(attempts)).containsExactly(null, 200);
        } finally {
            next.stop();
            receiver.release();
            sender.start();
        }
    }

    /** The call's body as JSON, once its signature checks out with the secret the user was shown. */
    private static Map<?, ?> verified(LocalReceiver.Call call, byte[] key) {
        String id = call.header("webhook-id");
        String timestamp = call.header("webhook-timestamp");
        assertThat(id).startsWith("msg_");
        assertThat(Long.parseLong(timestamp))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        String expected = WebhookSignature.sign(key, id, Long.parseLong(timestamp), call.body());
        assertThat(List.of(call.header("webhook-signature").split(" "))).contains(expected);
        return JSON.readValue(call.body(), Map.class);
    }

    private static List<LocalReceiver.Call> awaitCalls(String path, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.calls(path).size() >= count);
        return receiver.calls(path);
    }

    private String newSecret(String user) {
        String secret = (String) web.post()
                .uri("/api/webhooks/secret")
                .header(HttpHeaders.AUTHORIZATION, user)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueMatches(HttpHeaders.CACHE_CONTROL, ".*no-store.*")
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("secret");
        assertThat(secret).startsWith("whsec_");
        return secret;
    }

    @SuppressWarnings("unchecked")
    private List<Map<?, ?>> listed(String user) {
        return web.get()
                .uri("/api/webhooks/deliveries")
                .header(HttpHeaders.AUTHORIZATION, user)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(List.class)
                .returnResult()
                .getResponseBody();
    }

    private Map<?, ?> upload(String user, String name, String callbackUrl) {
        return uploadSpec(user, name, callbackUrl)
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private WebTestClient.ResponseSpec uploadSpec(String user, String name, String callbackUrl) {
        Path clip = TestAudio.toneWav(storage.resolve(UUID.randomUUID() + "-" + name), 1, 16_000);
        var form = Uploads.part(name, new FileSystemResource(clip));
        if (callbackUrl != null) {
            form.part("callback_url", callbackUrl);
        }
        return Uploads.upload(
                web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, user).build(), form);
    }

    private static String bearer(String user) {
        return TestTokens.bearer(TestTokens.user(user));
    }

    private static List<Object> statuses(List<?> attempts) {
        return attempts.stream()
                .<Object>map(a -> ((Map<?, ?>) a).get("http_status"))
                .toList();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long id(Map<?, ?> node) {
        return ((Number) node.get("id")).longValue();
    }

    private static UUID job(Map<?, ?> node) {
        return UUID.fromString((String) node.get("transcription_task_id"));
    }
}
