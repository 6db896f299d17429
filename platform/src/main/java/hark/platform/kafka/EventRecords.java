package hark.platform.kafka;

import hark.schemas.EventCodec;
import hark.schemas.EventDecodingException;
import hark.schemas.EventType;
import hark.schemas.HarkEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** How an event travels in a Kafka record, both ways: the one place that knows. */
public final class EventRecords {

    private EventRecords() {}

    /**
     * The record of an event: its type's topic, keyed by job (so a job's events keep their order),
     * the logical type in a header. (Chunks are put on the transcribe consumers' partitions by the
     * dispatcher, not here.)
     */
    public static ProducerRecord<String, byte[]> toRecord(HarkEvent event, byte[] payload) {
        EventType type = EventType.of(event);
        return record(type.topic(), null, event.jobId().toString(), type.logicalName(), payload);
    }

    public static ProducerRecord<String, byte[]> record(
            String topic, Integer partition, String key, String type, byte[] payload) {
        var record = new ProducerRecord<>(topic, partition, key, payload);
        record.headers().add(EventCodec.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The logical type a record carries in its header, or null. */
    public static String typeOf(ConsumerRecord<?, byte[]> record) {
        Header type = record.headers().lastHeader(EventCodec.TYPE_HEADER);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }

    public static HarkEvent decode(EventCodec codec, ConsumerRecord<?, byte[]> record) {
        Header type = record.headers().lastHeader(EventCodec.TYPE_HEADER);
        if (type == null) {
            throw new EventDecodingException("Record without a " + EventCodec.TYPE_HEADER + " header");
        }
        return codec.decode(new String(type.value(), StandardCharsets.UTF_8), record.value());
    }
}
