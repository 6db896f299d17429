package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * An admin set how much of the transcribe consumers a user gets while others wait too: a weight
 * of 3 holds three consumers to one of weight 1. Not a job's event: it travels on
 * {@link Topics#ACCOUNT_PRIORITIES}, compacted and keyed by user, so the latest weight of every
 * user is all the topic keeps.
 */
public record PriorityChanged(UUID eventId, Instant occurredAt, int schemaVersion, String username, int weight) {

    public static final String TYPE = "PriorityChanged";
    public static final int MAX_WEIGHT = 10;

    public static PriorityChanged of(String username, int weight) {
        return new PriorityChanged(UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, username, weight);
    }

    /** Classpath resource of this record's JSON Schema. */
    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
