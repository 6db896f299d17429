package hark.status.view;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Reads every event topic into the view. */
@Component
public class StatusListener {

    private final EventCodec codec;
    private final StatusProjection projection;

    public StatusListener(EventCodec codec, StatusProjection projection) {
        this.codec = codec;
        this.projection = projection;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-status",
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY,
            topics = {
                Topics.AUDIO_UPLOADED,
                Topics.JOB_PROGRESS,
                Topics.AUDIO_PREPARED,
                Topics.AUDIO_CHUNKS_WAITING,
                Topics.AUDIO_CHUNKS,
                Topics.TRANSCRIPT_CHUNKS,
                Topics.TRANSCRIPT_ASSEMBLED
            })
    void onEvent(ConsumerRecord<String, byte[]> record) {
        projection.apply(EventRecords.decode(codec, record)).block();
    }
}
