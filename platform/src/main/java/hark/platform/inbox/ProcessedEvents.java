package hark.platform.inbox;

import hark.platform.db.ServiceSchema;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Remembers which events a service has applied. Call {@link #firstTime} in the transaction that
 * applies the event: a redelivered or replayed event then finds its id and is skipped.
 */
public class ProcessedEvents {

    private final DatabaseClient db;
    private final String insert;

    public ProcessedEvents(DatabaseClient db, ServiceSchema schema) {
        this.db = db;
        this.insert = "INSERT INTO " + schema.table("processed_events")
                + " (event_id) VALUES (:id) ON CONFLICT DO NOTHING";
    }

    public Mono<Boolean> firstTime(UUID eventId) {
        return db.sql(insert).bind("id", eventId).fetch().rowsUpdated().map(n -> n > 0);
    }
}
