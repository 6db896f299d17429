package hark.status.erasure;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.schemas.AccountErased;
import hark.schemas.AccountViewCleared;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;

/**
 * Clears the view of an erased account: every node it had is marked erased (whatever order its
 * recordings' own erasures arrive in, none of their events is folded again) and every row of the
 * user goes. Then says so ({@link AccountViewCleared}), and upload-service frees the name. A
 * redelivery does it all again, harmlessly.
 */
@Component
public class AccountViewEraser {

    private final EventCodec codec;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, byte[]> kafka;

    public AccountViewEraser(
            EventCodec codec, DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, byte[]> kafka) {
        this.codec = codec;
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-status-accounts",
            topics = Topics.ACCOUNT_ERASURES,
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onErasure(ConsumerRecord<String, byte[]> record)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (!AccountErased.TYPE.equals(EventRecords.typeOf(record))) {
            return;
        }
        AccountErased erased = codec.decodeRecord(record.value(), AccountErased.class);
        // The account's nodes, and any the view has of the user up to the last of them: a
        // redelivery long after must not touch the nodes of a newcomer who took the freed name
        // (node ids only grow). Only these rows are touched, however many were erased before.
        long last = erased.nodeIds().stream().mapToLong(Long::longValue).max().orElse(0);
        String gone = "SELECT unnest(:nodes::bigint[]) UNION SELECT node_id FROM status.transcriptions"
                + " WHERE user_id = :user AND node_id <= :last";
        Long[] nodes = erased.nodeIds().toArray(Long[]::new);
        tx.transactional(Flux.just(
                                "INSERT INTO status.erased_nodes (node_id) " + gone + " ON CONFLICT DO NOTHING",
                                "DELETE FROM status.chunks WHERE job_id IN (SELECT job_id FROM status.transcriptions"
                                        + " WHERE node_id IN (" + gone + "))",
                                "DELETE FROM status.changes WHERE node_id IN (" + gone + ")",
                                "DELETE FROM status.titles WHERE node_id IN (" + gone + ")"
                                        + " OR (user_id = :user AND node_id <= :last)",
                                "DELETE FROM status.transcriptions WHERE node_id IN (" + gone + ")")
                        .concatMap(sql -> db.sql(sql)
                                .bind("nodes", nodes)
                                .bind("user", erased.username())
                                .bind("last", last)
                                .then())
                        .then())
                .block();
        AccountViewCleared cleared = AccountViewCleared.of(erased.username());
        kafka.send(EventRecords.record(
                        Topics.ACCOUNT_ERASURES,
                        null,
                        erased.username(),
                        AccountViewCleared.TYPE,
                        codec.encodeRecord(cleared)))
                .get(30, TimeUnit.SECONDS);
    }
}
