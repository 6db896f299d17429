package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A transcribe-service instance started with this transcription engine, for this reason. Not a
 * job's event: it travels on {@link Topics#OPS_ENGINES}, compacted and keyed by instance, so the
 * topic keeps each instance's latest choice, which the admin overview shows.
 *
 * @param instance the host that runs the service (its container's name in compose)
 * @param engine   the engine's short name, as transcribed chunks record it ("sphinx", "whisper"...)
 * @param detail   what else tells the engine apart (the model), or empty
 * @param reason   why this engine: the setting, or what {@code HARK_ENGINE=auto} found
 */
public record EngineChosen(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        String instance,
        String engine,
        String detail,
        String reason) {

    public static final String TYPE = "EngineChosen";

    public static EngineChosen of(String instance, String engine, String detail, String reason) {
        return new EngineChosen(
                UUID.randomUUID(), Instant.now(), HarkEvent.SCHEMA_VERSION, instance, engine, detail, reason);
    }

    /** Classpath resource of this record's JSON Schema. */
    public static String schemaResource() {
        return "/hark/schemas/" + TYPE + ".schema.json";
    }
}
