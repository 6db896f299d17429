package hark.platform.inbox;

import hark.platform.db.ServiceSchema;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Remembers which events each consumer of a service has applied, keyed by (consumer, event id).
 * Call {@link #firstTime} in the transaction that applies the event: a redelivered or replayed
 * event then finds its id and is skipped.
 */
public class ProcessedEvents {

    /** The consumer of rows written before rows had one: they count for every consumer. */
    static final String ANY_CONSUMER = "";

    private final DatabaseClient db;
    private final String insert;
    private final String exists;

    public ProcessedEvents(DatabaseClient db, ServiceSchema schema) {
        this.db = db;
        String table = schema.table("processed_events");
        this.insert = "INSERT INTO " + table + " (consumer, event_id) SELECT :consumer, :id WHERE NOT EXISTS"
                + " (SELECT 1 FROM " + table + " WHERE consumer = '" + ANY_CONSUMER + "' AND event_id = :id)"
                + " ON CONFLICT DO NOTHING";
        this.exists = "SELECT count(*) FROM " + table + " WHERE consumer IN (:consumer, '" + ANY_CONSUMER
                + "') AND event_id = :id";
    }

    /** Records the event as applied by the consumer; false when it was already. */
    public Mono<Boolean> firstTime(String consumer, UUID eventId) {
        return db.sql(insert)
                .bind("consumer", consumer)
                .bind("id", eventId)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    public Mono<Boolean> seen(String consumer, UUID eventId) {
        return db.sql(exists)
                .bind("consumer", consumer)
                .bind("id", eventId)
                .map(row -> row.get(0, Long.class) > 0)
                .one();
    }
}
