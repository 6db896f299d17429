package hark.upload.transcript;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.upload.node.NodeRepository;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * When a job's transcript is assembled, it becomes the node's content, as in the original design; when the
 * job fails, the node remembers it, so that its owner may retry.
 */
@Component
public class TranscriptListener {

    private final NodeRepository nodes;
    private final EventCodec codec;
    private final TranscriptTexts texts;

    public TranscriptListener(NodeRepository nodes, EventCodec codec, TranscriptTexts texts) {
        this.nodes = nodes;
        this.codec = codec;
        this.texts = texts;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-nodes",
            topics = {Topics.TRANSCRIPT_ASSEMBLED, Topics.JOB_PROGRESS},
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onOutcome(ConsumerRecord<String, byte[]> record) {
        HarkEvent event = EventRecords.decode(codec, record);
        if (event instanceof TranscriptAssembled done) {
            // No text: the node was erased (or the job cancelled) since, and its row says so already.
            texts.readTranscript(done.textPath())
                    .or(() -> Optional.ofNullable(done.text()))
                    .ifPresent(text -> nodes.setTranscript(done.nodeId(), done.jobId(), text)
                            .block());
        } else if (event instanceof StageFailed failed) {
            nodes.markFailed(failed.nodeId(), failed.jobId()).block();
        } else if (event instanceof DeadLetterReplayed replayed) {
            nodes.markReplayed(replayed.nodeId(), replayed.jobId()).block();
        }
    }
}
