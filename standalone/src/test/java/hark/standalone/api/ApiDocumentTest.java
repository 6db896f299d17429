package hark.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.standalone.Hark;
import hark.standalone.HarkClient;
import hark.standalone.LocalInfrastructure;
import hark.standalone.StandInEngine;
import hark.testing.FakeTranscriptionApi;
import hark.testing.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published API description against the API itself, on one all-in-one Hark: every operation
 * in {@code /api/openapi.json} is called, each answer (successes and errors: 400, 401, 403, 404,
 * 409) must have a status, media type and body the document gives that operation, and every route
 * the application has must be in the document. A change to a controller that the document does
 * not follow fails here.
 */
class ApiDocumentTest {

    private static final String ENGINE_KEY = "sk-api-document-test";
    private static final String OPERATOR_PASSWORD = "the operator's own";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static FakeTranscriptionApi engine;
    static OpenApiContract contract;
    static WebTestClient anonymous;

    @BeforeAll
    static void start() {
        engine = FakeTranscriptionApi.start(ENGINE_KEY);
        infrastructure = LocalInfrastructure.start(data, Map.of());
        hark = Hark.run(
                data,
                infrastructure.settings(),
                StandInEngine.settings(
                        engine,
                        "--hark.accounts.admin-name=ops",
                        "--hark.accounts.admin-password=" + OPERATOR_PASSWORD));
        anonymous = WebTestClient.bindToServer()
                .baseUrl(HarkClient.baseUrl(hark))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        // Public: a program reads it before it has a token.
        byte[] document = anonymous
                .get()
                .uri("/api/openapi.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        contract = new OpenApiContract(JSON.readTree(document));
    }

    @AfterAll
    static void stop() {
        hark.close();
        infrastructure.close();
        engine.close();
    }

    @Test
    void theDocumentIsOpenApi31WithTheErrorBodyAndTheWaysToAuthenticate() {
        JsonNode document = JSON.readTree(anonymous
                .get()
                .uri("/api/openapi.json")
                .exchange()
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(document.path("openapi").asString()).startsWith("3.1");
        assertThat(document.path("components").path("securitySchemes").propertyNames())
                .contains("bearerToken", "apiKey", "cookie");
        assertThat(document.path("components")
                        .path("schemas")
                        .path("Error")
                        .path("required")
                        .toString())
                .contains("error");
        assertThat(document.path("paths")
                        .path("/api/auth/login")
                        .path("post")
                        .path("security")
                        .size())
                .as("sign-in needs no token")
                .isZero();
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws Exception {
        HarkClient alice = HarkClient.signUp(hark, "alice");
        HarkClient bob = HarkClient.signUp(hark, "bob");
        HarkClient ops = HarkClient.signIn(hark, "ops", OPERATOR_PASSWORD);
        WebTestClient me = alice.web();

        call(anonymous, "POST", "/api/auth/register", Map.of("username", "carol", "password", "carol's secret!"));
        call(anonymous, "POST", "/api/auth/login", Map.of("username", "alice", "password", "wrong password"));
        call(anonymous, "POST", "/api/auth/login", Map.of("username", "alice", "password", "a long enough secret"));
        call(anonymous, "GET", "/api/auth/me", null);
        call(me, "GET", "/api/auth/me", null);

        // API keys: made, listed, used, revoked.
        JsonNode key = call(me, "POST", "/api/auth/keys", Map.of("name", "contract test"));
        call(me, "GET", "/api/auth/keys", null);
        WebTestClient withKey = anonymous
                .mutate()
                .defaultHeader("Authorization", "Bearer " + key.path("key").asString())
                .build();
        call(withKey, "GET", "/api/auth/me", null);

        // A recording, with an Idempotency-Key sent twice.
        Path recording = TestAudio.toneWav(
                Files.createDirectories(data.resolve("uploads")).resolve("tone.wav"), 3, 16_000);
        JsonNode node = upload(withKey, recording, "contract-upload-1");
        upload(withKey, recording, "contract-upload-1");
        long id = node.path("id").asLong();
        call(me, "GET", "/api/nodes/{id}", null, id);
        call(bob.web(), "GET", "/api/nodes/{id}", null, id);
        call(me, "GET", "/api/nodes/{id}", null, 987_654);
        call(me, "GET", "/api/nodes", null);
        call(me, "GET", "/api/nodes?size=0", null);
        // Titles: renamed with the API key, refused blank, to another user and for an unknown node.
        call(withKey, "PATCH", "/api/nodes/{id}", Map.of("title", "Contract note"), id);
        call(me, "PATCH", "/api/nodes/{id}", Map.of("title", " "), id);
        call(bob.web(), "PATCH", "/api/nodes/{id}", Map.of("title", "Bob's now"), id);
        call(me, "PATCH", "/api/nodes/{id}", Map.of("title", "Nobody's"), 987_654);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> alice.status(id), s -> s != null && "completed".equals(s.get("status")));
        call(me, "GET", "/api/nodes/{id}/transcription-status", null, id);
        call(me, "GET", "/api/nodes/{id}/transcript", null, id);
        call(me, "GET", "/api/nodes/{id}/transcript?format=srt", null, id);
        call(me, "GET", "/api/nodes/{id}/transcript?format=json", null, id);
        call(me, "GET", "/api/nodes?q=contract", null);
        call(me, "GET", "/api/nodes?q=" + "x".repeat(201), null);
        call(me, "GET", "/api/nodes/{id}/audio", null, id);
        events(me, id);
        call(me, "DELETE", "/api/nodes/{id}/transcription", null, id); // ended already: 409
        call(me, "POST", "/api/nodes/{id}/transcription/retry", null, id);
        call(me, "DELETE", "/api/nodes/{id}/transcription", null, id);

        // A text node, then erased.
        JsonNode text = call(me, "POST", "/api/nodes", Map.of("content", "a note", "node_type", "note"));
        call(me, "DELETE", "/api/nodes/{id}", null, text.path("id").asLong());
        call(me, "GET", "/api/auth/me/export", null);

        // Admin: refused to a user, answered to the admin.
        call(me, "GET", "/api/admin/overview", null);
        call(ops.web(), "GET", "/api/admin/overview", null);
        call(ops.web(), "POST", "/api/admin/accounts", Map.of("username", "dave", "password", "dave's secret!"));
        call(ops.web(), "PUT", "/api/admin/accounts/{name}/priority", Map.of("weight", 3), "dave");
        call(ops.web(), "PUT", "/api/admin/accounts/{name}/admin", null, "dave");
        call(ops.web(), "DELETE", "/api/admin/accounts/{name}/admin", null, "dave");
        call(ops.web(), "PUT", "/api/admin/accounts/{name}/admin", null, "nobody-here");
        call(ops.web(), "POST", "/api/admin/reprocess", Map.of("since", "2999-01-01"));
        call(ops.web(), "POST", "/api/admin/replay", Map.of("topic", "not-a-dead-letter-topic"));
        call(ops.web(), "POST", "/api/admin/rebuild-status", null);

        // Webhooks: the secret shown once, settings refused and kept, the calls made so far.
        call(me, "POST", "/api/webhooks/secret", null);
        call(me, "PUT", "/api/webhooks/settings", Map.of("default_url", "http://169.254.169.254/"));
        call(me, "PUT", "/api/webhooks/settings", Map.of("default_url", "https://example.org/hooks"));
        call(me, "GET", "/api/webhooks/settings", null);
        call(me, "GET", "/api/webhooks/deliveries", null);

        call(me, "DELETE", "/api/auth/keys/{id}", null, key.path("id").asString());
        call(withKey, "GET", "/api/auth/me", null);
        call(
                bob.web(),
                "POST",
                "/api/auth/password",
                Map.of("current_password", "a long enough secret", "new_password", "bob's new secret"));
        HarkClient carol = HarkClient.signIn(hark, "carol", "carol's secret!");
        call(carol.web(), "DELETE", "/api/auth/me", Map.of("password", "carol's secret!"));
        call(me, "POST", "/api/auth/logout", null);

        assertThat(contract.checked())
                .as("operations in the document that this test never called")
                .containsAll(contract.operations());
    }

    @Test
    void everyRouteTheApplicationHasIsInTheDocument() {
        Set<String> routes = new TreeSet<>();
        hark.getBeansOfType(RequestMappingHandlerMapping.class)
                .values()
                .forEach(mapping -> mapping.getHandlerMethods().forEach((info, handler) -> {
                    if (handler.getBeanType().getPackageName().startsWith("org.springdoc")) {
                        return; // the document itself
                    }
                    info.getPatternsCondition()
                            .getPatterns()
                            .forEach(pattern -> info.getMethodsCondition()
                                    .getMethods()
                                    .forEach(method -> routes.add(method.name() + " " + pattern.getPatternString())));
                }));
        assertThat(routes).as("routes found").hasSizeGreaterThan(20);
        assertThat(contract.operations()).containsAll(routes);
        for (RouterFunctionMapping mapping :
                hark.getBeansOfType(RouterFunctionMapping.class).values()) {
            assertThat(String.valueOf(mapping.getRouterFunction()))
                    .as("functional routes under /api (none are documented)")
                    .doesNotContain("/api/");
        }
    }

    private static JsonNode upload(WebTestClient web, Path recording, String idempotencyKey) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", new FileSystemResource(recording))
                .filename(recording.getFileName().toString())
                .contentType(MediaType.parseMediaType("audio/wav"));
        return checked(
                "POST",
                "/api/nodes",
                web.post()
                        .uri("/api/nodes")
                        .header("Idempotency-Key", idempotencyKey)
                        .contentType(MediaType.MULTIPART_FORM_DATA)
                        .body(BodyInserters.fromMultipartData(form.build()))
                        .exchange()
                        .expectBody()
                        .returnResult());
    }

    /** The live stream: its status and type (the events are the status answers checked above). */
    private static void events(WebTestClient web, long id) {
        var result = web.get()
                .uri("/api/nodes/{id}/transcription-events", id)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .returnResult(String.class);
        result.getResponseBody().take(1).blockFirst(Duration.ofSeconds(30));
        contract.check(
                "GET",
                "/api/nodes/{id}/transcription-events",
                result.getStatus().value(),
                result.getResponseHeaders().getContentType(),
                null);
    }

    private static JsonNode call(WebTestClient web, String method, String uri, Object body, Object... variables) {
        WebTestClient.RequestBodySpec request =
                web.method(HttpMethod.valueOf(method)).uri(uri, variables);
        WebTestClient.RequestHeadersSpec<?> ready = body == null
                ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return checked(
                method,
                uri.replaceAll("\\?.*$", ""),
                ready.exchange().expectBody().returnResult());
    }

    private static JsonNode checked(String method, String template, EntityExchangeResult<byte[]> result) {
        byte[] body = result.getResponseBody();
        contract.check(
                method,
                template,
                result.getStatus().value(),
                result.getResponseHeaders().getContentType(),
                body);
        MediaType type = result.getResponseHeaders().getContentType();
        return body != null && type != null && type.getSubtype().equals("json") ? JSON.readTree(body) : JSON.nullNode();
    }
}
