package hark.platform.kafka;

import hark.schemas.EventCodec;
import hark.schemas.EventDecodingException;
import hark.schemas.HarkEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** Reads the event out of a consumed record. */
public final class EventRecords {

    private EventRecords() {
    }

    public static HarkEvent decode(EventCodec codec, ConsumerRecord<?, byte[]> record) {
        Header type = record.headers().lastHeader(EventCodec.TYPE_HEADER);
        if (type == null) {
            throw new EventDecodingException("Record without a " + EventCodec.TYPE_HEADER + " header");
        }
        return codec.decode(new String(type.value(), StandardCharsets.UTF_8), record.value());
    }
}
