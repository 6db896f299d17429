package hark.upload.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import hark.platform.security.Caller;
import hark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A user's API keys: made (the key shown in that answer only), listed (never the key), revoked.
 * A key id that is not the caller's is 404 whether or not it exists, so ids say nothing about
 * other users' keys.
 */
@RestController
@RequestMapping("/api/auth/keys")
public class ApiKeyController {

    private final ApiKeyIssuer issuer;
    private final ApiKeyRepository keys;
    private final ApiKeyProperties props;

    public ApiKeyController(ApiKeyIssuer issuer, ApiKeyRepository keys, ApiKeyProperties props) {
        this.issuer = issuer;
        this.keys = keys;
        this.props = props;
    }

    @ApiResponse(
            responseCode = "201",
            description = "The key, shown this once (only its hash is kept).",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Created.class)))
    @ApiResponse(
            responseCode = "403",
            description = "Keys are made while signed in (not with a key); only an admin makes an admin key.")
    @ApiResponse(responseCode = "409", description = "Too many keys already.")
    @PostMapping
    public Mono<ResponseEntity<Created>> create(@RequestBody(required = false) NewKey body) {
        String name = name(body == null ? null : body.name());
        boolean admin = body != null && Boolean.TRUE.equals(body.admin());
        return Caller.withApiKey()
                .flatMap(withKey -> withKey
                        // A stolen key must not be able to mint the keys that outlive its revocation.
                        ? Mono.error(new ApiException(
                                HttpStatus.FORBIDDEN, "Make API keys while signed in, not with an API key"))
                        : Caller.current())
                .flatMap(caller -> admin && !caller.admin()
                        ? Mono.error(new ApiException(HttpStatus.FORBIDDEN, "Only an admin can make an admin key"))
                        : issuer.issue(caller.userId(), name, admin))
                .map(issued -> ResponseEntity.status(HttpStatus.CREATED)
                        // The one answer that holds the key: no cache, proxy or browser may keep it.
                        .cacheControl(CacheControl.noStore())
                        .body(new Created(
                                issued.row().id(),
                                issued.row().name(),
                                issued.row().admin(),
                                issued.row().createdAt(),
                                issued.key())));
    }

    @ApiResponse(
            responseCode = "200",
            description = "The caller's keys (never the keys themselves).",
            content =
                    @Content(
                            mediaType = "application/json",
                            schemaProperties =
                                    @SchemaProperty(
                                            name = "keys",
                                            array =
                                                    @io.swagger.v3.oas.annotations.media.ArraySchema(
                                                            schema = @Schema(implementation = Listed.class)))))
    @GetMapping
    public Mono<Map<String, List<Listed>>> list() {
        return Caller.current()
                .flatMapMany(caller -> keys.keysOf(caller.userId()))
                .map(key -> new Listed(key.id(), key.name(), key.admin(), key.createdAt(), key.lastUsedAt()))
                .collectList()
                .map(list -> Map.of("keys", list));
    }

    @ApiResponse(
            responseCode = "204",
            description = "Revoked: every service refuses the key within a minute.",
            content = @Content)
    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> revoke(@PathVariable("id") String id) {
        UUID keyId = keyId(id);
        return Caller.current()
                .flatMap(caller -> issuer.revoke(keyId, caller.userId()))
                .switchIfEmpty(Mono.error(noSuchKey(id)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private String name(String value) {
        String name = value == null ? "" : value.strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > props.maxNameLength()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "An API key needs a name of 1 to " + props.maxNameLength()
                            + " characters, to tell it from your others (\"name\")");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "An API key's name cannot hold control characters");
        }
        return name;
    }

    /** Not a key id is no key of yours either: 404, like any other. */
    private static UUID keyId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            throw noSuchKey(id);
        }
    }

    private static ApiException noSuchKey(String id) {
        String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
        return new ApiException(HttpStatus.NOT_FOUND, "You have no API key " + shown);
    }

    public record NewKey(String name, Boolean admin) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Listed(
            UUID id,
            String name,
            boolean admin,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("last_used_at") OffsetDateTime lastUsedAt) {}

    public record Created(
            UUID id,
            String name,
            boolean admin,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            String key) {}
}
