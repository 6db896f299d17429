package hark.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published OpenAPI document as a contract: an answer passes only if its operation, its
 * status and its media type are in the document and its body is valid against the schema given
 * for them. Object schemas are read strictly (a field the document does not name fails), so the
 * document cannot fall behind the code unnoticed.
 */
final class OpenApiContract {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final JsonNode document;
    private final JsonNode strictComponents;
    private final Set<String> checked = new TreeSet<>();

    OpenApiContract(JsonNode document) {
        this.document = document;
        this.strictComponents = strict(document.path("components").deepCopy());
    }

    /** Every operation in the document, as "METHOD /path". */
    Set<String> operations() {
        Set<String> all = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                all.add(method.toUpperCase() + " " + path.getKey());
            }
        }
        return all;
    }

    /** The operations an answer was checked for so far. */
    Set<String> checked() {
        return checked;
    }

    void check(String method, String template, int status, MediaType type, byte[] body) {
        String operation = method + " " + template;
        JsonNode op = document.path("paths").path(template).path(method.toLowerCase());
        if (op.isMissingNode()) {
            fail(operation + " answered " + status + " but is not in the document");
        }
        JsonNode response = op.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            fail(operation + " answered " + status + ", a status the document does not give it (it gives "
                    + op.path("responses").propertyNames() + ")");
        }
        checked.add(operation);
        if (body == null || body.length == 0) {
            return;
        }
        JsonNode content = response.path("content");
        assertThat(content.isObject())
                .as(operation + " " + status + " has a body but the document gives it none")
                .isTrue();
        JsonNode media = mediaFor(content, type);
        if (media == null) {
            fail(operation + " " + status + " answered " + type + ", not among " + content.propertyNames());
        }
        if (type != null
                && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            ObjectNode schema =
                    (ObjectNode) strict((JsonNode) media.path("schema").deepCopy());
            schema.set("components", strictComponents);
            Schema validator = REGISTRY.getSchema(schema);
            var errors =
                    validator.validate(new String(body, java.nio.charset.StandardCharsets.UTF_8), InputFormat.JSON);
            assertThat(errors)
                    .as(operation + " " + status + " body " + new String(body, java.nio.charset.StandardCharsets.UTF_8))
                    .isEmpty();
        }
    }

    private static JsonNode mediaFor(JsonNode content, MediaType type) {
        for (Map.Entry<String, JsonNode> entry : content.properties()) {
            MediaType documented = MediaType.parseMediaType(entry.getKey());
            if (type == null || documented.includes(type) || documented.isCompatibleWith(type)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Every object schema that names its properties allows no others. */
    private static <T extends JsonNode> T strict(T node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            for (JsonNode child : object) {
                strict(child);
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode child : node) {
                strict(child);
            }
        }
        return node;
    }
}
