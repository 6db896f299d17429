package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.schemas.EventCodec;
import hark.schemas.PriorityChanged;
import hark.schemas.Topics;
import hark.testing.StageTest;
import hark.testing.TestAudio;
import hark.testing.TestTokens;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * docs/security.md's rows for a stranger who tries to take what is not theirs: an admin role by
 * name, script served from Hark's origin, endless sign-in tries and form fields, more storage than
 * their share, a token that outlives its sign-out. Requests come "through the edge", each test
 * from an address of its own (X-Forwarded-For), as the compose deployment forwards them.
 */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // The setting that used to make admins by name: now it grants nothing.
            "hark.security.admins=boss",
            "hark.accounts.admin-name=ops",
            "hark.accounts.admin-password=" + HostileUserTest.OPERATOR,
            "hark.upload.user-quota-mb=1",
            "server.forward-headers-strategy=native"
        })
@AutoConfigureWebTestClient
class HostileUserTest extends StageTest {

    static final String OPERATOR = "only the operator knows this";
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    private final EventCodec codec = new EventCodec();

    @Autowired
    WebTestClient web;

    @Test
    void aSignUpUnderANameOnceListedAsAdminOrUnderTheAdminsNameGainsNothing() {
        String from = address();
        String boss = signUp("boss", "a long enough secret", from);

        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(boss))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(false);
        web.post()
                .uri("/api/admin/accounts")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(boss))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "minion", "password", "a long enough secret", "admin", true))
                .exchange()
                .expectStatus()
                .isForbidden();
        auth("register", "ops", "my own password", from).expectStatus().isEqualTo(409);
        // The operator's account is there, and is admin, with the password from the setting only.
        auth("login", "ops", "my own password", from).expectStatus().isUnauthorized();
        String operator =
                token(auth("login", "ops", OPERATOR, from).expectStatus().isOk());
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(operator))
                .exchange()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(true);
    }

    @Test
    void anAdminMakesAccountsAndGrantsTheRoleAndAWithdrawalEndsEverySignInOfIt() {
        String from = address();
        String operator =
                token(auth("login", "ops", OPERATOR, from).expectStatus().isOk());
        web.post()
                .uri("/api/admin/accounts")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(operator))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "deputy", "password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isCreated();
        web.put()
                .uri("/api/admin/accounts/deputy/admin")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(operator))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(true);
        String deputy = token(auth("login", "deputy", "a long enough secret", from)
                .expectStatus()
                .isOk());
        // Let in, and told what the body lacks.
        web.post()
                .uri("/api/admin/reprocess")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(deputy))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isBadRequest();

        web.delete()
                .uri("/api/admin/accounts/deputy/admin")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(operator))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(false);

        // The token that carried the role is refused everywhere once the revocation is read.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> web.get()
                        .uri("/api/auth/me")
                        .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(deputy))
                        .exchange()
                        .expectStatus()
                        .isUnauthorized());
        String again = token(auth("login", "deputy", "a long enough secret", from)
                .expectStatus()
                .isOk());
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(again))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.admin")
                .isEqualTo(false);
    }

    @Test
    void onlyAnAdminSetsAPriorityFromOneToTenOfAnAccountThatExistsAndTheDispatcherIsTold() {
        String from = address();
        String operator =
                token(auth("login", "ops", OPERATOR, from).expectStatus().isOk());
        String payer = signUp("payer", "a long enough secret", from);

        priority(payer, "payer", 10).expectStatus().isForbidden();
        priority(operator, "payer", 11)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("from 1"));
        priority(operator, "nobody", 3).expectStatus().isNotFound();
        priority(operator, "payer", 3)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.priority")
                .isEqualTo(3);

        List<PriorityChanged> told = probe
                .awaitRecords(Topics.ACCOUNT_PRIORITIES, r -> "payer".equals(r.key()), 1, Duration.ofSeconds(30))
                .stream()
                .map(r -> codec.decodeRecord(r.value(), PriorityChanged.class))
                .toList();
        assertThat(told).singleElement().extracting(PriorityChanged::weight).isEqualTo(3);
    }

    private WebTestClient.ResponseSpec priority(String token, String name, int weight) {
        return web.put()
                .uri("/api/admin/accounts/" + name + "/priority")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("weight", weight))
                .exchange();
    }

    @Test
    void theEleventhSignInTryInAMinuteIs429WithRetryAfterFromOneAddressOrForOneName() {
        String from = address();
        signUp("target", "the right password", from);
        for (int i = 0; i < 10; i++) {
            auth("login", "target", "guess number " + i, from).expectStatus().isUnauthorized();
        }
        auth("login", "target", "the right password", from)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .value(
                        HttpHeaders.RETRY_AFTER,
                        s -> assertThat(Integer.parseInt(s)).isBetween(1, 60))
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).startsWith("Too many sign-in tries"));
        // From elsewhere, the name is still spent for the minute; another name is not.
        auth("login", "target", "the right password", address()).expectStatus().isEqualTo(429);
        signUp("bystander", "another right one", address());
        auth("login", "bystander", "another right one", address())
                .expectStatus()
                .isOk();
    }

    @Test
    void signingOutEndsTheTokenAndANewPasswordEndsEveryOtherSignIn() {
        String from = address();
        String first = signUp("leaver", "the first password", from);
        String second = token(auth("login", "leaver", "the first password", from)
                .expectStatus()
                .isOk());

        web.post()
                .uri("/api/auth/logout")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(first))
                .exchange()
                .expectStatus()
                .isNoContent();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> web.get()
                        .uri("/api/nodes/1")
                        .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(first))
                        .exchange()
                        .expectStatus()
                        .isUnauthorized());
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(second))
                .exchange()
                .expectStatus()
                .isOk();

        web.post()
                .uri("/api/auth/password")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(second))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("current_password", "not it", "new_password", "the second password"))
                .exchange()
                .expectStatus()
                .isForbidden();
        String third = token(web.post()
                .uri("/api/auth/password")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(second))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("current_password", "the first password", "new_password", "the second password"))
                .exchange()
                .expectStatus()
                .isOk());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> web.get()
                        .uri("/api/auth/me")
                        .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(second))
                        .exchange()
                        .expectStatus()
                        .isUnauthorized());
        web.get()
                .uri("/api/auth/me")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(third))
                .exchange()
                .expectStatus()
                .isOk();
        auth("login", "leaver", "the first password", from).expectStatus().isUnauthorized();
    }

    /** An ID3 tag, then a page: it passes the upload's check, and must never come back as a page. */
    @Test
    void aPageBehindAnId3TagDeclaredTextHtmlIsServedAsSandboxedAudio() {
        byte[] page = new byte[200];
        byte[] head = "ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        byte[] script =
                "<html><script>fetch('/api/admin/overview')</script></html>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, page, 0, head.length);
        System.arraycopy(script, 0, page, 64, script.length);
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new ByteArrayResource(page))
                .filename("innocent.mp3")
                .contentType(MediaType.TEXT_HTML);
        long id = ((Number) web.post()
                        .uri("/api/nodes")
                        .header(HttpHeaders.AUTHORIZATION, user("planter"))
                        .contentType(MediaType.MULTIPART_FORM_DATA)
                        .body(BodyInserters.fromMultipartData(form.build()))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("id"))
                .longValue();

        web.get()
                .uri("/api/nodes/{id}/audio", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("ops")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("audio/mpeg")
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .value("Content-Security-Policy", csp -> assertThat(csp).contains("sandbox"))
                .expectHeader()
                .value(
                        HttpHeaders.CONTENT_DISPOSITION,
                        disposition ->
                                assertThat(disposition).startsWith("inline").contains("recording-" + id + ".mp3"));
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicyAndHealthDetailsAreForAdminsOnly() {
        web.get()
                .uri("/api/auth/me")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .value(
                        "Content-Security-Policy",
                        csp -> assertThat(csp)
                                .contains("default-src 'self'")
                                .contains("frame-ancestors 'none'")
                                .doesNotContain("unsafe-inline"));
        web.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components")
                .doesNotExist();
        web.get()
                .uri("/actuator/health")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("ops")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.components.kafka.details.clusterId")
                .exists();
    }

    @Test
    void everyApiPathAnswersTheSameWithOneTrailingSlash() {
        long id = ((Number) web.post()
                        .uri("/api/nodes/")
                        .header(HttpHeaders.AUTHORIZATION, user("slasher"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("content", "as the original page posts it"))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("id"))
                .longValue();
        web.get()
                .uri("/api/nodes/{id}/", id)
                .header(HttpHeaders.AUTHORIZATION, user("slasher"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.content")
                .isEqualTo("as the original page posts it");
        web.get().uri("/api/nodes/{id}/", id).exchange().expectStatus().isUnauthorized();
    }

    /**
     * A form that announces ten thousand small fields is refused at the first field too many,
     * before the rest of the body is even sent: the server never waits for, let alone keeps, the
     * other fields (before, it kept every one in memory until the body ended).
     */
    @Test
    void tenThousandFormFieldsAre413AtTheFirstOneTooMany(@Value("${local.server.port}") int port) throws IOException {
        String boundary = "hostile";
        String field =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + "x".repeat(100) + "\r\n";
        int fields = 10_000;
        String head = "POST /api/nodes HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + user("flooder")
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: " + ((long) field.length() * fields + boundary.length() + 6) + "\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + field.repeat(20)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The other 9,980 fields are still to come: the answer must not wait for them.
            assertThat(RawHttp.readStatus(new BufferedInputStream(socket.getInputStream())))
                    .isEqualTo(413);
        }
    }

    @Test
    void aStorageQuotaIs413SayingHowMuchIsUsed() throws IOException {
        Path dir = Files.createTempDirectory("quota");
        Path half = TestAudio.toneWav(dir.resolve("half.wav"), 20, 16_000); // 640 KB of the 1 MB quota
        upload("hoarder", half).expectStatus().isCreated();
        String before = Leftovers.of(DB, storage);

        upload("hoarder", half)
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m)
                        .startsWith("Storage quota reached: your recordings take 0.6 MB of your 1 MB"));
        assertThat(Leftovers.of(DB, storage)).isEqualTo(before);
        // Others have their own.
        upload("neighbour", half).expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec upload(String user, Path file) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(file))
                .filename(file.getFileName().toString())
                .contentType(MediaType.parseMediaType("audio/wav"));
        return web.post()
                .uri("/api/nodes")
                .header(HttpHeaders.AUTHORIZATION, user(user))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }

    private WebTestClient.ResponseSpec auth(String action, String name, String password, String from) {
        return web.post()
                .uri("/api/auth/" + action)
                .header("X-Forwarded-For", from)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", password))
                .exchange();
    }

    private String signUp(String name, String password, String from) {
        return token(auth("register", name, password, from).expectStatus().isCreated());
    }

    private static String token(WebTestClient.ResponseSpec answer) {
        return (String)
                answer.expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    private static String user(String name) {
        return TestTokens.bearer(TestTokens.user(name));
    }

    /** A client address of its own for each use, as the edge would forward it. */
    private static String address() {
        return "198.51.100." + ADDRESSES.getAndIncrement();
    }
}
