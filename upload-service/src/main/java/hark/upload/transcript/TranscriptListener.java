package hark.upload.transcript;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.schemas.DeadLetterReplayed;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.upload.node.NodeRepository;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * When a job's transcript is assembled, it becomes the node's content, as in the seed; when the
 * job fails, the node remembers it, so that its owner may retry.
 */
@Component
public class TranscriptListener {

    private final NodeRepository nodes;
    private final EventCodec codec;

    public TranscriptListener(NodeRepository nodes, EventCodec codec) {
        this.nodes = nodes;
        this.codec = codec;
    }

    @KafkaListener(id = "${hark.kafka.group-prefix}-nodes", topics = {Topics.TRANSCRIPT_ASSEMBLED, Topics.JOB_PROGRESS},
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onOutcome(ConsumerRecord<String, byte[]> record) {
        HarkEvent event = EventRecords.decode(codec, record);
        if (event instanceof TranscriptAssembled done) {
            nodes.setTranscript(done.nodeId(), done.jobId(), done.text()).block();
        } else if (event instanceof StageFailed failed) {
            nodes.markFailed(failed.nodeId(), failed.jobId()).block();
        } else if (event instanceof DeadLetterReplayed replayed) {
            nodes.markReplayed(replayed.nodeId(), replayed.jobId()).block();
        }
    }
}
