package hark.platform.kafka;

import hark.platform.Outages;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events of stages that keep no state of their own, waiting for the broker's ack so
 * that the input record is only committed once its output is safe.
 */
public class EventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    public void publish(HarkEvent event) {
        try {
            kafka.send(toRecord(event)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + event.eventId(), e);
        } catch (TimeoutException e) {
            // Marked as an outage, so the stage waits for the broker rather than failing the job.
            throw new Outages.BrokerUnavailable("Kafka did not accept event " + event.eventId() + " within 30 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept event " + event.eventId(), e);
        }
    }

    public ProducerRecord<String, byte[]> toRecord(HarkEvent event) {
        return EventRecords.toRecord(event, codec.encode(event));
    }
}
