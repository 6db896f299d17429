package hark.prep.lanes;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.HarkEvent;
import hark.schemas.Topics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Two lanes through each prep stage, so that one long recording never holds a voice note back:
 * an upload of more than {@code longUploadMb}, and prepared audio of more than
 * {@code longRecordingSeconds}, are handed to the stage's long lane (a topic and consumers of their
 * own) instead of being worked on where the short ones wait. Handing over is one outbox row.
 */
@Component
public class Lanes {

    /**
     * @param longUploadMb         uploads larger than this are prepared in the long lane
     * @param longRecordingSeconds recordings longer than this are cut into chunks in the long lane
     */
    @ConfigurationProperties("hark.prep.lanes")
    public record Settings(long longUploadMb, double longRecordingSeconds) {}

    private final Settings settings;
    private final OutboxWriter outbox;

    public Lanes(
            Settings settings,
            DatabaseClient db,
            EventPublisher publisher,
            @Qualifier("prepOutboxRelay") OutboxRelay relay) {
        this.settings = settings;
        this.outbox = new OutboxWriter(db, publisher, relay);
    }

    /** True when the upload went to the long lane (and this consumer is done with it). */
    public boolean sentToLongLane(AudioUploaded uploaded) {
        return uploaded.sizeBytes() > settings.longUploadMb() * 1024 * 1024
                && handOver(uploaded, Topics.AUDIO_UPLOADED_LONG);
    }

    /** True when the prepared audio went to the long lane. */
    public boolean sentToLongLane(AudioPrepared prepared) {
        return prepared.durationSeconds() > settings.longRecordingSeconds()
                && handOver(prepared, Topics.AUDIO_PREPARED_LONG);
    }

    private boolean handOver(HarkEvent event, String lane) {
        outbox.append(event, lane, null).block();
        return true;
    }
}
