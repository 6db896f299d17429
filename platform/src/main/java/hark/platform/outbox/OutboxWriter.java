package hark.platform.outbox;

import hark.platform.db.ServiceSchema;
import hark.platform.kafka.EventPublisher;
import hark.schemas.EventType;
import hark.schemas.HarkEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Appends an event to a service's outbox. Call it inside the transaction that changes the state
 * the event announces: both commit, or neither does. A repeated event id is ignored.
 */
public class OutboxWriter {

    private final DatabaseClient db;
    private final EventPublisher publisher;
    private final String insert;

    public OutboxWriter(DatabaseClient db, EventPublisher publisher, ServiceSchema schema) {
        this.db = db;
        this.publisher = publisher;
        this.insert = "INSERT INTO " + schema.table("outbox")
                + " (event_id, topic, partition_no, message_key, event_type, payload)"
                + " VALUES (:eventId, :topic, :partition, :key, :type, :payload) ON CONFLICT (event_id) DO NOTHING";
    }

    public Mono<Void> append(HarkEvent event) {
        var record = publisher.toRecord(event);
        var spec = db.sql(insert)
                .bind("eventId", event.eventId())
                .bind("topic", record.topic())
                .bind("key", record.key())
                .bind("type", EventType.of(event).logicalName())
                .bind("payload", record.value());
        spec = record.partition() == null ? spec.bindNull("partition", Integer.class)
                : spec.bind("partition", record.partition());
        return spec.then();
    }
}
