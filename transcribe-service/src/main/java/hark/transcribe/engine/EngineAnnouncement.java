package hark.transcribe.engine;

import hark.platform.kafka.EventRecords;
import hark.schemas.EngineChosen;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Once the service has started, tells the admin overview (status-service, another process in
 * compose) which engine this instance chose and why: an {@link EngineChosen} on
 * {@link Topics#OPS_ENGINES}, keyed by instance. Not through the outbox: there is no database state
 * to keep in step with it, and an announcement that does not get through must not stop the service.
 */
public final class EngineAnnouncement implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(EngineAnnouncement.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final EngineChosen chosen;

    public EngineAnnouncement(
            KafkaTemplate<String, byte[]> kafka, EventCodec codec, EngineSelection.Selected selected, String instance) {
        this.kafka = kafka;
        this.codec = codec;
        this.chosen = EngineChosen.of(instance, selected.engine().name(), selected.detail(), selected.reason());
    }

    /** The container's name in compose (Docker sets HOSTNAME), else this machine's host name. */
    public static String instanceName(Map<String, String> env) {
        String hostname = env.get("HOSTNAME");
        if (hostname != null && !hostname.isBlank()) {
            return hostname.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        // Off the starting thread: without a broker, send() waits up to max.block.ms for metadata.
        Thread sender = new Thread(this::announce, "engine-announcement");
        sender.setDaemon(true);
        sender.start();
    }

    private void announce() {
        var record = EventRecords.record(
                Topics.OPS_ENGINES, null, chosen.instance(), EngineChosen.TYPE, codec.encodeRecord(chosen));
        try {
            kafka.send(record).whenComplete((sent, failure) -> {
                if (failure != null) {
                    warn(failure);
                }
            });
        } catch (RuntimeException failure) {
            warn(failure);
        }
    }

    private void warn(Throwable failure) {
        log.warn(
                "Could not announce the engine ({} on {}) on {}: the admin overview will not show it until a"
                        + " restart. {}",
                chosen.engine(),
                chosen.instance(),
                Topics.OPS_ENGINES,
                // KafkaTemplate's "Send failed" says less than what it wraps (no broker, no topic).
                NestedExceptionUtils.getMostSpecificCause(failure).toString());
    }
}
