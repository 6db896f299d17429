package hark.platform.openapi;

import hark.platform.security.SecurityConfiguration;
import hark.platform.security.SecurityProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What every operation of the API has in common, written into the generated document: the
 * {@code {"error": "..."}} body of every 4xx and 5xx answer, the statuses any operation of its kind
 * can answer (401 without a valid token, 403 and 404 for another's or a missing node, 400 for a
 * malformed request, 500), and the three ways to authenticate. Statuses particular to one operation
 * are declared on its controller method; their body is filled in here.
 */
final class ApiConventions implements OpenApiCustomizer {

    static final String ERROR = "Error";
    static final String BEARER = "bearerToken";
    static final String API_KEY = "apiKey";
    static final String COOKIE = "cookie";

    @Override
    public void customise(OpenAPI api) {
        Components components = api.getComponents() != null ? api.getComponents() : new Components();
        api.setComponents(components);
        components.addSchemas(ERROR, errorSchema());
        components.addSecuritySchemes(
                BEARER,
                new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description("The token POST /api/auth/login or /api/auth/register answers (12 hours)."));
        components.addSecuritySchemes(
                API_KEY,
                new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("hark_...")
                        .description(
                                "A long-lived API key from POST /api/auth/keys, sent as Authorization: Bearer hark_..."
                                        + " Keys reach /api/admin only when an admin made them and marked them so."));
        components.addSecuritySchemes(
                COOKIE,
                new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.COOKIE)
                        .name(SecurityProperties.COOKIE)
                        .description("The HttpOnly cookie sign-in sets, for the browser app."));
        if (components.getSchemas() != null) {
            components.getSchemas().values().forEach(ApiConventions::absentOrNull);
        }
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> apply(path, method, op)));
    }

    private static void apply(String path, PathItem.HttpMethod method, Operation op) {
        boolean open = isOpen(method, path);
        op.setSecurity(
                open
                        ? List.of()
                        : List.of(
                                new SecurityRequirement().addList(BEARER),
                                new SecurityRequirement().addList(API_KEY),
                                new SecurityRequirement().addList(COOKIE)));
        ApiResponses responses = op.getResponses() != null ? op.getResponses() : new ApiResponses();
        op.setResponses(responses);
        boolean hasInput = op.getRequestBody() != null
                || (op.getParameters() != null && !op.getParameters().isEmpty());
        if (hasInput) {
            orAdd(responses, "400", "The request could not be read, or a value in it is not allowed.");
        }
        if (!open) {
            orAdd(responses, "401", "No valid token or API key (sign in first, or the key was revoked).");
        }
        if (path.startsWith("/api/admin/")) {
            orAdd(responses, "403", "Admins only (and API keys an admin made and marked for admin use).");
        }
        if (path.contains("{") && !path.startsWith("/api/admin/")) {
            orAdd(responses, "403", "It belongs to someone else.");
            orAdd(responses, "404", "There is no such thing (or not yet).");
        }
        orAdd(responses, "500", "Something went wrong on Hark's side.");
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(new Content()
                        .addMediaType(
                                org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + ERROR))));
            }
        });
    }

    private static void orAdd(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    static boolean isOpen(PathItem.HttpMethod method, String path) {
        List<String> open = switch (method) {
            case POST -> SecurityConfiguration.OPEN_POSTS;
            case GET -> SecurityConfiguration.OPEN_GETS;
            default -> List.of();
        };
        PathContainer container = PathContainer.parsePath(path);
        return open.stream()
                .anyMatch(pattern ->
                        PathPatternParser.defaultInstance.parse(pattern).matches(container));
    }

    private static Schema<?> errorSchema() {
        Schema<?> schema = new JsonSchema()
                .types(Set.of("object"))
                .description("Every error the API answers: one sentence saying what went wrong and what to do.")
                .addProperty("error", new JsonSchema().types(Set.of("string")))
                .required(List.of("error"));
        schema.setAdditionalProperties(false);
        return schema;
    }

    /**
     * Hark writes every field of an answer, null when it has no value (an error only once a job
     * failed, say): a property the generator did not find required may therefore also be null.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void absentOrNull(Schema<?> schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        List<String> required = schema.getRequired() != null ? schema.getRequired() : List.of();
        for (Map.Entry<String, Schema> property : new ArrayList<>(properties.entrySet())) {
            if (required.contains(property.getKey())) {
                continue;
            }
            Schema value = property.getValue();
            if (value.get$ref() != null) {
                properties.put(
                        property.getKey(),
                        new JsonSchema().anyOf(List.of(value, new JsonSchema().types(Set.of("null")))));
            } else if (value.getTypes() != null && !value.getTypes().isEmpty()) {
                Set<String> types = new java.util.LinkedHashSet<>(value.getTypes());
                types.add("null");
                value.setTypes(types);
            }
        }
    }
}
