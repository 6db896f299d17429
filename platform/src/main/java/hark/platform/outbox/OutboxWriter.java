package hark.platform.outbox;

import hark.platform.kafka.EventPublisher;
import hark.schemas.AccountErased;
import hark.schemas.ApiKeyChanged;
import hark.schemas.EventCodec;
import hark.schemas.EventType;
import hark.schemas.HarkEvent;
import hark.schemas.PriorityChanged;
import hark.schemas.TokensRevoked;
import hark.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Appends an event to a service's outbox. Call it inside the transaction that changes the state
 * the event announces: both commit, or neither does. A repeated event id is ignored. The commit
 * wakes the service's relay, so the event leaves at once rather than at the relay's next poll.
 */
public class OutboxWriter {

    private final DatabaseClient db;
    private final EventPublisher publisher;
    private final OutboxRelay relay;
    private final EventCodec codec = new EventCodec();
    private final String insert;

    public OutboxWriter(DatabaseClient db, EventPublisher publisher, OutboxRelay relay) {
        this.db = db;
        this.publisher = publisher;
        this.relay = relay;
        this.insert = "INSERT INTO " + relay.schema().table("outbox")
                + " (event_id, topic, partition_no, message_key, event_type, payload)"
                + " VALUES (:eventId, :topic, :partition, :key, :type, :payload) ON CONFLICT (event_id) DO NOTHING";
    }

    public Mono<Void> append(HarkEvent event) {
        var record = publisher.toRecord(event);
        return append(
                event.eventId(),
                record.topic(),
                record.partition(),
                record.key(),
                EventType.of(event).logicalName(),
                record.value());
    }

    /**
     * An event put on a topic of the caller's choosing, on a partition of its choosing or (null)
     * by its job: the dispatcher's released chunks, the prep stages' long lanes.
     */
    public Mono<Void> append(HarkEvent event, String topic, Integer partition) {
        var record = publisher.toRecord(event);
        // The row's own id, not the event's: a stage handing on an event its own service published
        // (prep's AudioPrepared to the long lane) may find that event's row still in this outbox,
        // waiting to be deleted once acked, and would silently hand over nothing.
        UUID rowId = UUID.nameUUIDFromBytes(
                (event.eventId() + "->" + topic + "/" + partition).getBytes(StandardCharsets.UTF_8));
        return append(rowId, topic, partition, record.key(), EventType.of(event).logicalName(), record.value());
    }

    /** A revocation of sign-in tokens, keyed by user so that one user's revocations keep their order. */
    public Mono<Void> append(TokensRevoked revocation) {
        return append(
                revocation.eventId(),
                Topics.AUTH_REVOCATIONS,
                null,
                revocation.username(),
                TokensRevoked.TYPE,
                codec.encodeRecord(revocation));
    }

    /** A user's new weight in the transcribe queue, keyed by user: the compacted topic keeps the last. */
    public Mono<Void> append(PriorityChanged priority) {
        return append(
                priority.eventId(),
                Topics.ACCOUNT_PRIORITIES,
                null,
                priority.username(),
                PriorityChanged.TYPE,
                codec.encodeRecord(priority));
    }

    /**
     * An API key issued or revoked, keyed by the key's id: the compacted topic keeps each key's
     * last record, so a revocation also drops the issue record (and its hash) in time.
     */
    public Mono<Void> append(ApiKeyChanged change) {
        return append(
                change.eventId(),
                Topics.AUTH_API_KEYS,
                null,
                change.keyId().toString(),
                ApiKeyChanged.TYPE,
                codec.encodeRecord(change));
    }

    /** An account's erasure, keyed by user. */
    public Mono<Void> append(AccountErased erased) {
        return append(
                erased.eventId(),
                Topics.ACCOUNT_ERASURES,
                null,
                erased.username(),
                AccountErased.TYPE,
                codec.encodeRecord(erased));
    }

    private Mono<Void> append(UUID eventId, String topic, Integer partition, String key, String type, byte[] payload) {
        var spec = db.sql(insert)
                .bind("eventId", eventId)
                .bind("topic", topic)
                .bind("key", key)
                .bind("type", type)
                .bind("payload", payload);
        spec = partition == null ? spec.bindNull("partition", Integer.class) : spec.bind("partition", partition);
        return spec.then().then(wakeRelayOnCommit());
    }

    /** Outside a transaction the row is committed already: wake the relay now. */
    private Mono<Void> wakeRelayOnCommit() {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(transaction -> {
                    if (transaction.isSynchronizationActive()) {
                        transaction.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public Mono<Void> afterCommit() {
                                return Mono.fromRunnable(relay::wake);
                            }
                        });
                    } else {
                        relay.wake();
                    }
                })
                .onErrorResume(NoTransactionException.class, none -> Mono.fromRunnable(relay::wake))
                .then();
    }
}
