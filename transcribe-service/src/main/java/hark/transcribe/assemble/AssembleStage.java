package hark.transcribe.assemble;

import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.ChunkTranscribed;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Collects the chunks of each job; when the last one is in, joins them in order and announces
 * the transcript, exactly once however often chunks are redelivered.
 */
@Component
public class AssembleStage {

    /** The stage\'s name: in its failures, its dead letters and its inbox. */
    public static final String STAGE = "assemble";

    private final EventCodec codec;
    private final Assembly assembly;
    private final Storage storage;
    private final TranscriptTexts texts;

    public AssembleStage(EventCodec codec, Assembly assembly, Storage storage, TranscriptTexts texts) {
        this.codec = codec;
        this.assembly = assembly;
        this.storage = storage;
        this.texts = texts;
    }

    @KafkaListener(id = "${hark.kafka.group-prefix}-assemble", info = STAGE, topics = Topics.TRANSCRIPT_CHUNKS)
    void onTranscribed(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof ChunkTranscribed chunk
                && Boolean.TRUE.equals(assembly.add(chunk).block())) {
            // The transcript is safe in the outbox: the chunks and intermediate files are not needed now.
            storage.deleteWork(chunk.jobId());
            if (Boolean.TRUE.equals(assembly.stopped(chunk.jobId()).block())) {
                // Erased while it was assembled: its listener may have cleared the folder first.
                texts.deleteJob(chunk.nodeId(), chunk.jobId());
            }
        }
    }
}
