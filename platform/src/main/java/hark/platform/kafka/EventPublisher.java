package hark.platform.kafka;

import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.EventType;
import hark.schemas.HarkEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events of stages that keep no state of their own, waiting for the broker's ack so
 * that the input record is only committed once its output is safe.
 */
public class EventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final int partitions;

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec, int partitions) {
        this.kafka = kafka;
        this.codec = codec;
        this.partitions = partitions;
    }

    public void publish(HarkEvent event) {
        try {
            kafka.send(toRecord(event, codec.encode(event))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + event.eventId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept event " + event.eventId(), e);
        }
    }

    /** The record an event travels in; also used by the outbox so both paths agree. */
    public ProducerRecord<String, byte[]> toRecord(HarkEvent event, byte[] payload) {
        EventType type = EventType.of(event);
        var record = new ProducerRecord<>(type.topic(), partitionOf(event), event.jobId().toString(), payload);
        record.headers().add(hark.schemas.EventCodec.TYPE_HEADER, type.logicalName().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /**
     * Chunks of one recording go round-robin over the partitions from a job-dependent start, so
     * that they transcribe in parallel; everything else is keyed by job and keeps its order.
     */
    public Integer partitionOf(HarkEvent event) {
        if (event instanceof ChunkReady chunk) {
            int start = Math.floorMod(chunk.jobId().hashCode(), partitions);
            return (start + chunk.chunkIndex()) % partitions;
        }
        return null;
    }
}
