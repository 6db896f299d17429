package hark.platform.kafka;

import hark.platform.PermanentFailure;
import hark.platform.storage.Storage;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.KafkaUtils;

/**
 * After a stage has given up on a record: dead-letter it (so it can be replayed once the cause
 * is fixed) and fail its job with a reason a person can read.
 */
public class StageFailureRecoverer implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(StageFailureRecoverer.class);

    private final ConsumerRecordRecoverer deadLetters;
    private final EventCodec codec;
    private final EventPublisher publisher;
    private final Storage storage;
    private final String groupPrefix;

    public StageFailureRecoverer(ConsumerRecordRecoverer deadLetters, EventCodec codec, EventPublisher publisher,
                                 Storage storage, String groupPrefix) {
        this.deadLetters = deadLetters;
        this.codec = codec;
        this.publisher = publisher;
        this.storage = storage;
        this.groupPrefix = groupPrefix;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception failure) {
        deadLetters.accept(record, failure);
        HarkEvent event;
        try {
            @SuppressWarnings("unchecked")
            var bytes = (ConsumerRecord<?, byte[]>) record;
            event = EventRecords.decode(codec, bytes);
        } catch (RuntimeException unreadable) {
            log.warn("Dead-lettered an unreadable record from {}: {}", record.topic(), failure.toString());
            return;
        }
        String stage = stageName();
        PermanentFailure permanent = findCause(failure, PermanentFailure.class);
        String reason = permanent != null ? permanent.getMessage()
                : "The " + stage + " stage failed: " + rootMessage(failure);
        log.warn("Job {} failed in stage {}: {}", event.jobId(), stage, reason, failure);
        publisher.publish(StageFailed.of(event.jobId(), event.nodeId(), stage, reason, permanent != null));
        if (permanent != null) {
            // Nothing can use the intermediate files of a job that can never succeed.
            storage.deleteWork(event.jobId());
        }
    }

    private String stageName() {
        String group = KafkaUtils.getConsumerGroupId();
        if (group == null) {
            return "unknown";
        }
        return group.startsWith(groupPrefix + "-") ? group.substring(groupPrefix.length() + 1) : group;
    }

    static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
