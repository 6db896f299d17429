package hark.schemas;

import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Event ids derived from what the event is about, so that a stage that runs twice on the same
 * input (a redelivery, a replay) emits the same id and consumers can drop the repeat.
 */
public final class EventIds {

    private EventIds() {}

    public static UUID of(UUID jobId, Object... parts) {
        StringJoiner name = new StringJoiner("/").add(jobId.toString());
        for (Object part : parts) {
            name.add(String.valueOf(part));
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }
}
