package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key was issued or revoked. Not a job's event: it travels on {@link Topics#AUTH_API_KEYS},
 * compacted and keyed by the key's id, which every web service reads from its beginning: a service
 * accepts exactly the keys whose latest record there is not revoked. The key itself never travels,
 * only its SHA-256, and a revocation drops even that (compaction then forgets the issue record).
 *
 * @param keyHash lowercase hex SHA-256 of the whole key ({@code hark_...}); null when revoked
 * @param admin   the key reaches admin endpoints (only an admin can issue such a key)
 * @param revoked no service accepts the key any more
 */
public record ApiKeyChanged(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        UUID keyId,
        String username,
        String keyHash,
        boolean admin,
        boolean revoked) {

    public static final String TYPE = "ApiKeyChanged";

    public static ApiKeyChanged issued(UUID keyId, String username, String keyHash, boolean admin) {
        return new ApiKeyChanged(
                UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, keyId, username, keyHash, admin, false);
    }

    public static ApiKeyChanged revoked(UUID keyId, String username) {
        return new ApiKeyChanged(
                UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, keyId, username, null, false, true);
    }

    /** Classpath resource of this record's JSON Schema. */
    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
