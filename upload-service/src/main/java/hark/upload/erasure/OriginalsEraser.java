package hark.upload.erasure;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.schemas.EventCodec;
import hark.schemas.RecordingErased;
import hark.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Removes an erased recording's original. From the event rather than in the request that erased
 * it, so a crash between the node's deletion and the object's loses nothing: the event is read again.
 */
@Component
public class OriginalsEraser {

    private static final Logger log = LoggerFactory.getLogger(OriginalsEraser.class);

    private final EventCodec codec;
    private final Storage storage;

    public OriginalsEraser(EventCodec codec, Storage storage) {
        this.codec = codec;
        this.storage = storage;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-upload-erase",
            topics = Topics.JOB_PROGRESS,
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onProgress(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof RecordingErased erased && erased.audioPath() != null) {
            // A failure to reach the storage throws, and the record is read again.
            storage.objects().delete(erased.audioPath());
            log.info("Node {} erased by {}: its original is gone", erased.nodeId(), erased.erasedBy());
        }
    }
}
