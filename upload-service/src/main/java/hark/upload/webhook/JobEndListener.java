package hark.upload.webhook;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook stage's consumer: turns each job's end (its transcript assembled, a stage's
 * failure, a cancel) into a call owed, kept in PostgreSQL for {@link WebhookSender}. It only
 * writes the row, so a slow receiver never holds up the topic; a redelivered event finds the
 * row there already (its (job, outcome) key) and owes nothing more. Its own consumer group: it
 * reads the job topics at its own pace, and a trouble of its own is not the job's failure.
 */
@Component
public class JobEndListener {

    private final WebhookDeliveries deliveries;
    private final EventCodec codec;
    private final JsonMapper json;
    private final String publicUrl;

    public JobEndListener(WebhookDeliveries deliveries, EventCodec codec, JsonMapper json, WebhookProperties props) {
        this.deliveries = deliveries;
        this.codec = codec;
        this.json = json;
        this.publicUrl = props.publicUrl();
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-webhooks",
            topics = {Topics.TRANSCRIPT_ASSEMBLED, Topics.JOB_PROGRESS},
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onEvent(ConsumerRecord<String, byte[]> record) {
        HarkEvent event = EventRecords.decode(codec, record);
        Outcome.of(event)
                .ifPresent(outcome -> deliveries
                        .owe(event.jobId(), event.nodeId(), outcome, body(event, outcome))
                        .block(Duration.ofSeconds(30)));
    }

    /**
     * What the receiver is told: which node and job, how it ended and where to read more. Never the
     * transcript: a receiver that wants it asks with its own key, so the text is only ever given to
     * whoever may read it, and a leaked call body holds nothing of it.
     */
    String body(HarkEvent event, Outcome outcome) {
        String node = publicUrl + "/api/nodes/" + event.nodeId();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("node", node);
        links.put("status", node + "/transcription-status");
        links.put("transcript", node + "/transcript");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("node_id", event.nodeId());
        data.put("job_id", event.jobId().toString());
        data.put("status", outcome.word());
        data.put("error", event instanceof StageFailed failed ? failed.reason() : null);
        data.put("links", links);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "transcription." + outcome.word());
        body.put("timestamp", event.occurredAt().toString());
        body.put("data", data);
        return json.writeValueAsString(body);
    }
}
