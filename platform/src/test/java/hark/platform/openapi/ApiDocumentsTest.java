package hark.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ApiDocumentsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String UPLOAD = """
            {"openapi":"3.1.0","info":{"title":"Hark","version":"1"},
             "tags":[{"name":"nodes"}],
             "paths":{"/api/nodes":{"post":{"operationId":"upload"}}},
             "components":{"schemas":{"Error":{"type":"object"},"Node":{"type":"object"}}}}""";
    private static final String STATUS = """
            {"openapi":"3.1.0","info":{"title":"Hark status","version":"1"},
             "tags":[{"name":"nodes"},{"name":"status"}],
             "paths":{"/api/nodes":{"get":{"operationId":"list"}},
                      "/api/nodes/{id}/transcription-status":{"get":{"operationId":"status"}}},
             "components":{"schemas":{"Error":{"type":"object"},"Status":{"type":"object"}}}}""";

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void twoServicesPartsMakeOneDocumentWithEveryOperationAndSchema() {
        JsonNode whole = ApiDocuments.merge(List.of(read(UPLOAD), read(STATUS)));

        assertThat(whole.path("info").path("title").asString()).isEqualTo("Hark");
        JsonNode nodes = whole.path("paths").path("/api/nodes");
        assertThat(nodes.path("post").path("operationId").asString()).isEqualTo("upload");
        assertThat(nodes.path("get").path("operationId").asString()).isEqualTo("list");
        assertThat(whole.path("paths").has("/api/nodes/{id}/transcription-status"))
                .isTrue();
        assertThat(whole.path("components").path("schemas").propertyNames())
                .containsExactlyInAnyOrder("Error", "Node", "Status");
        assertThat(whole.path("tags").findValuesAsString("name")).containsExactly("nodes", "status");
    }

    @Test
    void anOperationTwoServicesDescribeDifferentlyOrASchemaNamedAlikeButUnlikeIsRefused() {
        String otherUpload = UPLOAD.replace("\"upload\"", "\"uploadAgain\"");
        assertThatThrownBy(() -> ApiDocuments.merge(List.of(read(UPLOAD), read(otherUpload))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /api/nodes");

        String otherError = STATUS.replace("\"Error\":{\"type\":\"object\"}", "\"Error\":{\"type\":\"string\"}");
        assertThatThrownBy(() -> ApiDocuments.merge(List.of(read(UPLOAD), read(otherError))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schemas Error");
    }

    @Test
    void theEdgesDocumentIsFetchedFromEachServiceAndABrokenPartIsA502() throws IOException {
        String upload = serve(UPLOAD);
        String status = serve(STATUS);
        WebTestClient edge = WebTestClient.bindToRouterFunction(
                        new MergedApiDocument(List.of(upload, status), WebClient.create(), JSON)
                                .route("/api/openapi.json"))
                .build();

        edge.get()
                .uri("/api/openapi.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/nodes'].get.operationId")
                .isEqualTo("list")
                .jsonPath("$.paths['/api/nodes'].post.operationId")
                .isEqualTo("upload");

        String broken = serve("{not json");
        WebTestClient brokenEdge = WebTestClient.bindToRouterFunction(
                        new MergedApiDocument(List.of(upload, broken), WebClient.create(), JSON)
                                .route("/api/openapi.json"))
                .build();
        brokenEdge
                .get()
                .uri("/api/openapi.json")
                .exchange()
                .expectStatus()
                .isEqualTo(502)
                .expectBody(Map.class)
                .value(body -> assertThat((String) body.get("error")).contains(broken));
    }

    private String serve(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/part.json";
    }

    private static JsonNode read(String json) {
        return JSON.readTree(json);
    }
}
