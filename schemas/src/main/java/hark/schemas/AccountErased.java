package hark.schemas;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user erased their account: its recordings ({@code nodeIds}, each also announced by a
 * {@link RecordingErased}) go everywhere. The status service answers with an
 * {@link AccountViewCleared} once it shows nothing of the user; only then is the name free again.
 * Travels on {@link Topics#ACCOUNT_ERASURES}; not a job's event.
 */
public record AccountErased(UUID eventId, Instant occurredAt, int schemaVersion, String username, List<Long> nodeIds) {

    public static final String TYPE = "AccountErased";

    public AccountErased {
        nodeIds = nodeIds == null ? List.of() : List.copyOf(nodeIds);
    }

    public static AccountErased of(String username, List<Long> nodeIds) {
        return new AccountErased(UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, username, nodeIds);
    }

    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
