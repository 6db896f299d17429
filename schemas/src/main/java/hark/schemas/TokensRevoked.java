package hark.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Sign-in tokens of a user stop being accepted, in every service: one token ({@code tokenId}, when
 * its holder signed out), or every token of a version older than {@code minimumVersion} (password
 * changed, admin role withdrawn). Not a job's event: it travels on {@link Topics#AUTH_REVOCATIONS},
 * which every web service reads from its beginning when it starts.
 *
 * @param tokenExpiresAt when the revoked token would have expired anyway (null with no tokenId):
 *                       after that, nobody needs to remember it
 */
public record TokensRevoked(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        String username,
        String tokenId,
        Instant tokenExpiresAt,
        int minimumVersion) {

    public static final String TYPE = "TokensRevoked";

    /** One token, signed out. */
    public static TokensRevoked signedOut(String username, String tokenId, Instant expiresAt) {
        UUID eventId = UUID.nameUUIDFromBytes(("signed-out/" + tokenId).getBytes(StandardCharsets.UTF_8));
        return new TokensRevoked(eventId, Instant.now(), HarkEvent.SCHEMA_VERSION, username, tokenId, expiresAt, 0);
    }

    /** Every token of the user below {@code minimumVersion}. */
    public static TokensRevoked allBelow(String username, int minimumVersion) {
        return new TokensRevoked(
                UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, username, null, null, minimumVersion);
    }

    /** Classpath resource of this record's JSON Schema. */
    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
