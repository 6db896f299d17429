package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A service accepted an API key at {@code occurredAt}: the key's "last used", which upload-service
 * keeps with the key. Each service says so at most once a minute per key, so a key used in a
 * tight loop costs no write per request. Not a job's event: it travels on
 * {@link Topics#AUTH_API_KEY_USES}, compacted and keyed by the key's id.
 */
public record ApiKeyUsed(UUID eventId, Instant occurredAt, int schemaVersion, UUID keyId, String username) {

    public static final String TYPE = "ApiKeyUsed";

    public static ApiKeyUsed of(UUID keyId, String username, Instant usedAt) {
        return new ApiKeyUsed(UUID.randomUUID(), usedAt, HarkEvent.SCHEMA_VERSION, keyId, username);
    }

    /** Classpath resource of this record's JSON Schema. */
    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
