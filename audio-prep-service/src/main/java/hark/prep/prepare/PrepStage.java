package hark.prep.prepare;

import hark.platform.inbox.StageInbox;
import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Scratch;
import hark.platform.storage.Storage;
import hark.prep.lanes.Lanes;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.EventCodec;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The prep stage: an upload in, its prepared audio out (or a failed job with the reason). */
@Component
public class PrepStage {

    /** The stage\'s name: in its failures, its dead letters and its inbox. */
    public static final String STAGE = "prep";

    private static final Logger log = LoggerFactory.getLogger(PrepStage.class);

    private final EventCodec codec;
    private final EventPublisher publisher;
    private final Storage storage;
    private final AudioPreparer preparer;
    private final StageInbox inbox;
    private final Lanes lanes;

    public PrepStage(
            EventCodec codec,
            EventPublisher publisher,
            Storage storage,
            AudioPreparer preparer,
            @Qualifier("prepInbox") StageInbox inbox,
            Lanes lanes) {
        this.codec = codec;
        this.publisher = publisher;
        this.storage = storage;
        this.preparer = preparer;
        this.inbox = inbox;
        this.lanes = lanes;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-prep",
            info = STAGE,
            topics = Topics.AUDIO_UPLOADED,
            concurrency = "${hark.prep.concurrency}")
    void onUploaded(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioUploaded uploaded && !lanes.sentToLongLane(uploaded)) {
            prepare(uploaded);
        }
    }

    /** Big uploads: prepared here, one after another, while the short ones keep going. */
    @KafkaListener(
            id = "${hark.kafka.group-prefix}-prep-long",
            info = STAGE,
            topics = Topics.AUDIO_UPLOADED_LONG,
            concurrency = "${hark.prep.concurrency}")
    void onLongUpload(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioUploaded uploaded) {
            prepare(uploaded);
        }
    }

    private void prepare(AudioUploaded uploaded) {
        if (!inbox.skip(STAGE, uploaded)) {
            publisher.publish(StageStarted.of(uploaded.jobId(), uploaded.nodeId(), STAGE));
            inbox.finish(STAGE, uploaded, List.of(prepared(uploaded)));
        }
    }

    /** The original fetched into scratch, prepared there, and the result stored when it is a new file. */
    private AudioPrepared prepared(AudioUploaded uploaded) {
        try (Scratch scratch = storage.scratch(uploaded.jobId())) {
            Path original = scratch.fetch(uploaded.audioPath(), "The recording is no longer in storage.");
            var prepared = preparer.prepare(original, scratch.dir());
            String key = uploaded.audioPath();
            if (!prepared.path().equals(original)) {
                key = Storage.work(
                        uploaded.jobId(), prepared.path().getFileName().toString());
                storage.objects().put(key, prepared.path());
            }
            var info = prepared.info();
            log.info(
                    "Job {}: {} s of {} audio, {} bytes prepared",
                    uploaded.jobId(),
                    info.durationSeconds(),
                    info.format(),
                    info.sizeBytes());
            return AudioPrepared.of(
                    uploaded.jobId(),
                    uploaded.nodeId(),
                    key,
                    info.format(),
                    info.durationSeconds(),
                    info.sizeBytes(),
                    prepared.compressed());
        }
    }
}
