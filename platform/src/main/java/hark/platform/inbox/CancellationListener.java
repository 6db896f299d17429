package hark.platform.inbox;

import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import hark.schemas.TranscriptionCancelled;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * A service's ear for cancellations: remembers the job in the service's inbox (its stages then
 * skip its inputs), removes the job's intermediate files and whatever else the service kept for it.
 * Each service listens in its own group, so every service hears every cancellation.
 */
public class CancellationListener {

    private static final Logger log = LoggerFactory.getLogger(CancellationListener.class);

    private final String groupId;
    private final EventCodec codec;
    private final StageInbox inbox;
    private final Storage storage;
    private final Consumer<UUID> forget;

    /** @param forget drops what the service holds for a job besides its files; idempotent */
    public CancellationListener(String groupId, EventCodec codec, StageInbox inbox, Storage storage,
                                Consumer<UUID> forget) {
        this.groupId = groupId;
        this.codec = codec;
        this.inbox = inbox;
        this.storage = storage;
        this.forget = forget;
    }

    public String getGroupId() {
        return groupId;
    }

    @KafkaListener(id = "#{__listener.groupId}", topics = Topics.JOB_PROGRESS)
    void onProgress(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof TranscriptionCancelled cancelled) {
            inbox.cancel(cancelled.jobId());
            forget.accept(cancelled.jobId());
            storage.deleteWork(cancelled.jobId());
            log.info("Job {} cancelled by {}: {} does no more work for it", cancelled.jobId(),
                    cancelled.cancelledBy(), groupId);
        }
    }
}
