package hark.platform.kafka;

import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.EventDecodingException;
import hark.schemas.EventType;
import hark.schemas.HarkEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** How an event travels in a Kafka record, both ways: the one place that knows. */
public final class EventRecords {

    private EventRecords() {
    }

    /** The record of an event: its type's topic, keyed by job, the logical type in a header. */
    public static ProducerRecord<String, byte[]> toRecord(HarkEvent event, byte[] payload, int chunkPartitions) {
        EventType type = EventType.of(event);
        return record(type.topic(), partitionOf(event, chunkPartitions), event.jobId().toString(), type.logicalName(),
                payload);
    }

    public static ProducerRecord<String, byte[]> record(String topic, Integer partition, String key, String type,
                                                        byte[] payload) {
        var record = new ProducerRecord<>(topic, partition, key, payload);
        record.headers().add(EventCodec.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    public static HarkEvent decode(EventCodec codec, ConsumerRecord<?, byte[]> record) {
        Header type = record.headers().lastHeader(EventCodec.TYPE_HEADER);
        if (type == null) {
            throw new EventDecodingException("Record without a " + EventCodec.TYPE_HEADER + " header");
        }
        return codec.decode(new String(type.value(), StandardCharsets.UTF_8), record.value());
    }

    /**
     * Chunks of one recording go round-robin over the partitions from a job-dependent start, so
     * that they transcribe in parallel; everything else is keyed by job and keeps its order.
     */
    static Integer partitionOf(HarkEvent event, int chunkPartitions) {
        if (event instanceof ChunkReady chunk) {
            int start = Math.floorMod(chunk.jobId().hashCode(), chunkPartitions);
            return (start + chunk.chunkIndex()) % chunkPartitions;
        }
        return null;
    }
}
