package hark.platform.kafka;

import hark.platform.PermanentFailure;
import hark.platform.ReplayableFailure;
import hark.platform.storage.Storage;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * After a stage has given up on a record: dead-letter it (so it can be replayed once the cause
 * is fixed) and fail its job with a reason a person can read. The stage is the one its listener
 * names ({@code @KafkaListener(info = ...)}, which the container puts on each record it hands over).
 */
public class StageFailureRecoverer implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(StageFailureRecoverer.class);

    private final ConsumerRecordRecoverer deadLetters;
    private final EventCodec codec;
    private final EventPublisher publisher;
    private final Storage storage;

    public StageFailureRecoverer(
            ConsumerRecordRecoverer deadLetters, EventCodec codec, EventPublisher publisher, Storage storage) {
        this.deadLetters = deadLetters;
        this.codec = codec;
        this.publisher = publisher;
        this.storage = storage;
    }

    /** Headers that tell whoever reads the dead-letter topic which stage gave up, and why. */
    public static final String STAGE_HEADER = "hark-failed-stage";

    public static final String REASON_HEADER = "hark-failure-reason";

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
        String stage = stageName(record);
        boolean permanent = findCause(failure, PermanentFailure.class) != null;
        String reason = reason(stage, failure);
        log.warn("Job {} failed in stage {}: {}", event.jobId(), stage, reason, failure);
        publisher.publish(StageFailed.of(
                event.jobId(),
                event.nodeId(),
                stage,
                reason,
                permanent,
                record.topic() + "/" + record.partition() + "/" + record.offset()));
        if (permanent) {
            // Nothing can use the intermediate files of a job that can never succeed.
            storage.deleteWork(event.jobId());
        }
    }

    /** The dead letter's {@link #STAGE_HEADER} and {@link #REASON_HEADER}, for the dead-letter publisher. */
    public static Headers reasonHeaders(ConsumerRecord<?, ?> record, Exception failure) {
        String stage = stageName(record);
        return new RecordHeaders()
                .add(STAGE_HEADER, stage.getBytes(StandardCharsets.UTF_8))
                .add(REASON_HEADER, reason(stage, failure).getBytes(StandardCharsets.UTF_8));
    }

    /** The failures a stage raises on purpose carry a message for the person; anything else is summarised. */
    static String reason(String stage, Exception failure) {
        PermanentFailure permanent = findCause(failure, PermanentFailure.class);
        if (permanent != null) {
            return permanent.getMessage();
        }
        ReplayableFailure replayable = findCause(failure, ReplayableFailure.class);
        if (replayable != null) {
            return replayable.getMessage();
        }
        return "The " + stage + " stage failed: " + rootMessage(failure);
    }

    private static String stageName(ConsumerRecord<?, ?> record) {
        var info = record.headers().lastHeader(KafkaHeaders.LISTENER_INFO);
        return info == null ? "unknown" : new String(info.value(), StandardCharsets.UTF_8);
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
