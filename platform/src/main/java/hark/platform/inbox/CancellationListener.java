package hark.platform.inbox;

import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.RecordingErased;
import hark.schemas.Topics;
import hark.schemas.TranscriptionCancelled;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A service's ear for cancellations and erasures: remembers the job in the service's inbox (its
 * stages then skip its inputs), removes the job's intermediate files and whatever else the service
 * kept for it; an erasure also removes all the service holds of the node. Each service listens in
 * its own group, so every service hears every one, also when it was down at the time.
 */
public class CancellationListener {

    private static final Logger log = LoggerFactory.getLogger(CancellationListener.class);

    private final String groupId;
    private final EventCodec codec;
    private final StageInbox inbox;
    private final Storage storage;
    private final Consumer<UUID> forget;
    private final Consumer<RecordingErased> erase;

    /**
     * @param forget drops what the service holds for a job besides its files; idempotent
     * @param erase  drops everything the service holds of an erased node, of any of its jobs; idempotent
     */
    public CancellationListener(
            String groupId,
            EventCodec codec,
            StageInbox inbox,
            Storage storage,
            Consumer<UUID> forget,
            Consumer<RecordingErased> erase) {
        this.groupId = groupId;
        this.codec = codec;
        this.inbox = inbox;
        this.storage = storage;
        this.forget = forget;
        this.erase = erase;
    }

    public String getGroupId() {
        return groupId;
    }

    @KafkaListener(id = "#{__listener.groupId}", info = "cancellations", topics = Topics.JOB_PROGRESS)
    void onProgress(ConsumerRecord<String, byte[]> record) {
        HarkEvent event = EventRecords.decode(codec, record);
        if (event instanceof TranscriptionCancelled cancelled) {
            stop(cancelled.jobId());
            log.info(
                    "Job {} cancelled by {}: {} does no more work for it",
                    cancelled.jobId(),
                    cancelled.cancelledBy(),
                    groupId);
        } else if (event instanceof RecordingErased erased) {
            stop(erased.jobId());
            erase.accept(erased);
            log.info(
                    "Node {} erased by {}: {} holds nothing of it any more",
                    erased.nodeId(),
                    erased.erasedBy(),
                    groupId);
        }
    }

    private void stop(UUID jobId) {
        inbox.cancel(jobId);
        forget.accept(jobId);
        storage.deleteWork(jobId);
    }
}
