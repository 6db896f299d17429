package hark.transcribe;

import static hark.platform.db.ServiceSchema.SharedTables.INBOX;
import static hark.platform.db.ServiceSchema.SharedTables.OUTBOX;

import hark.platform.PlatformConfiguration;
import hark.platform.db.ServiceSchema;
import hark.platform.inbox.CancellationListener;
import hark.platform.inbox.StageInbox;
import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.HarkKafkaProperties;
import hark.platform.outbox.OutboxProperties;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.platform.storage.Storage;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.EventCodec;
import hark.transcribe.assemble.Assembly;
import hark.transcribe.chunk.ChunkPollInterval;
import hark.transcribe.dispatch.DispatchRounds;
import hark.transcribe.dispatch.Dispatcher;
import hark.transcribe.dispatch.TranscribeConsumers;
import hark.transcribe.engine.EngineAnnouncement;
import hark.transcribe.engine.EngineSelection;
import hark.transcribe.engine.TranscriptionEngine;
import hark.transcribe.engine.openai.OpenAiProperties;
import hark.transcribe.engine.whisper.WhisperProperties;
import hark.transcribe.erasure.TranscribeErasure;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Everything transcribe-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import(PlatformConfiguration.class)
@PropertySource("classpath:hark-transcribe.properties")
@EnableConfigurationProperties({TranscribeProperties.class, OpenAiProperties.class, WhisperProperties.class})
@ComponentScan(
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class TranscribeServiceConfiguration {

    public static final ServiceSchema SCHEMA = ServiceSchema.of("transcribe", OUTBOX, INBOX);

    @Bean
    ServiceSchema transcribeSchema() {
        return SCHEMA;
    }

    @Bean
    OutboxRelay transcribeOutboxRelay(DatabaseClient db, KafkaTemplate<String, byte[]> kafka, OutboxProperties props) {
        return new OutboxRelay(db, kafka, SCHEMA, props.pollInterval());
    }

    @Bean
    StageInbox transcribeInbox(
            DatabaseClient db, TransactionalOperator tx, EventPublisher publisher, OutboxRelay transcribeOutboxRelay) {
        return new StageInbox(db, tx, publisher, transcribeOutboxRelay);
    }

    @Bean
    CancellationListener transcribeCancellations(
            HarkKafkaProperties kafka,
            EventCodec codec,
            StageInbox transcribeInbox,
            Storage storage,
            TranscriptTexts texts,
            Assembly assembly,
            DatabaseClient db) {
        TranscribeErasure erasure = new TranscribeErasure(db, texts);
        return new CancellationListener(
                kafka.groupPrefix() + "-transcribe-cancel",
                codec,
                transcribeInbox,
                storage,
                job -> assembly.forget(job).block(),
                erasure::erase);
    }

    @Bean
    TranscribeConsumers transcribeConsumers(KafkaAdmin admin, HarkKafkaProperties kafka) {
        return new TranscribeConsumers(
                admin.getConfigurationProperties(), kafka.groupPrefix() + "-transcribe", kafka.chunkPartitions());
    }

    @Bean
    Dispatcher dispatcher(
            DatabaseClient db,
            TransactionalOperator tx,
            EventPublisher publisher,
            OutboxRelay transcribeOutboxRelay,
            TranscribeConsumers consumers) {
        return new Dispatcher(db, tx, new OutboxWriter(db, publisher, transcribeOutboxRelay), consumers);
    }

    /**
     * Rounds the events do not start: consumers added or gone, a relay that was away. Also drops
     * what the queue no longer needs, and writes HARK_PRIORITY_USERS into it at start.
     */
    @Bean
    DispatchRounds dispatchRounds(Dispatcher dispatcher, DatabaseClient db, TranscribeProperties props) {
        return new DispatchRounds(dispatcher, db, props.priorities());
    }

    @Bean
    EngineSelection.Selected selectedEngine(
            TranscribeProperties props, OpenAiProperties openAi, WhisperProperties whisper) {
        return EngineSelection.select(props, openAi, whisper);
    }

    @Bean
    EngineAnnouncement engineAnnouncement(
            KafkaTemplate<String, byte[]> kafka, EventCodec codec, EngineSelection.Selected selectedEngine) {
        return new EngineAnnouncement(kafka, codec, selectedEngine, EngineAnnouncement.instanceName(System.getenv()));
    }

    /** Closed with the context when it is closable: Whisper's workers end with the service. */
    @Bean
    TranscriptionEngine transcriptionEngine(EngineSelection.Selected selected) {
        return selected.engine();
    }

    /** See {@link TranscriptionEngine#longestCall()}; read by the chunk consumer's settings. */
    @Bean
    ChunkPollInterval chunkPollInterval(
            TranscriptionEngine engine, @Value("${spring.kafka.consumer.properties.max.poll.interval.ms}") long usual) {
        return ChunkPollInterval.covering(engine.longestCall(), usual);
    }
}
