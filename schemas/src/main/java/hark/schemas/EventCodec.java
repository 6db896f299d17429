package hark.schemas;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of the events. Decoding picks the record type from the logical type name only,
 * so nothing outside this package can be instantiated from a message.
 */
public final class EventCodec {

    /** Kafka header carrying the logical event type. */
    public static final String TYPE_HEADER = "hark-event-type";

    private final JsonMapper json = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A newer producer may add fields; readers of an older version ignore them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(HarkEvent event) {
        return json.writeValueAsBytes(event);
    }

    /**
     * An event that is not a job's ({@link TokensRevoked}, {@link PriorityChanged},
     * {@link AccountErased}, {@link AccountViewCleared}, {@link EngineChosen}, {@link ApiKeyChanged},
     * {@link ApiKeyUsed}): its topic says what it
     * is, its header names its type.
     */
    public byte[] encodeRecord(Record event) {
        return json.writeValueAsBytes(event);
    }

    public <T extends Record> T decodeRecord(byte[] payload, Class<T> type) {
        try {
            return json.readValue(payload, type);
        } catch (JacksonException e) {
            throw new EventDecodingException("Unreadable " + type.getSimpleName() + " record", e);
        }
    }

    public HarkEvent decode(String typeName, byte[] payload) {
        EventType type = EventType.byName(typeName)
                .orElseThrow(() -> new EventDecodingException("Unknown event type '" + typeName + "'"));
        try {
            return json.readValue(payload, type.recordType());
        } catch (JacksonException e) {
            throw new EventDecodingException(
                    "Unreadable " + typeName + " event: "
                            + new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8),
                    e);
        }
    }
}
