package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The status service shows nothing of an erased account any more (the answer to an
 * {@link AccountErased}): the upload service may now free the user name for someone else.
 */
public record AccountViewCleared(UUID eventId, Instant occurredAt, int schemaVersion, String username) {

    public static final String TYPE = "AccountViewCleared";

    public static AccountViewCleared of(String username) {
        return new AccountViewCleared(UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, username);
    }

    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
