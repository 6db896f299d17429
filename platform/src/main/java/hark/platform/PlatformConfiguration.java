package hark.platform;

import hark.platform.audio.Ffmpeg;
import hark.platform.db.DatabaseMigrations;
import hark.platform.db.DatabaseProperties;
import hark.platform.db.ServiceSchema;
import hark.platform.health.KafkaHealthIndicator;
import hark.platform.health.StorageHealthIndicator;
import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.HarkKafkaProperties;
import hark.platform.kafka.StageFailureRecoverer;
import hark.platform.kafka.TopicDeclarations;
import hark.platform.outbox.OutboxProperties;
import hark.platform.storage.Storage;
import hark.platform.storage.StorageProperties;
import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.WorkSweeper;
import hark.platform.storage.objects.ObjectStorageConfiguration;
import hark.platform.storage.objects.ObjectStore;
import hark.schemas.EventCodec;
import hark.schemas.EventDecodingException;
import hark.schemas.Topics;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.ExponentialBackOff;

/** The plumbing every service shares. Imported by each service's configuration. */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:hark-platform.properties")
@Import(ObjectStorageConfiguration.class)
@EnableConfigurationProperties({
    HarkKafkaProperties.class,
    DatabaseProperties.class,
    StorageProperties.class,
    OutboxProperties.class
})
public class PlatformConfiguration {

    /** Listener factory for consumers that only keep a view (no stage to fail): see {@link #stageErrorHandler}. */
    public static final String VIEW_LISTENER_FACTORY = "viewListenerFactory";

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        return new EventPublisher(kafka, codec);
    }

    /** Scratch lives under the storage folder, which with a bucket is this process's own disk. */
    @Bean
    Storage storage(ObjectStore objects, StorageProperties props) {
        return new Storage(objects, props.root().resolve("scratch"));
    }

    @Bean
    TranscriptTexts transcriptTexts(ObjectStore objects) {
        return new TranscriptTexts(objects);
    }

    /** The "storage" component of /actuator/health: the folder or the bucket, read and written. */
    @Bean
    StorageHealthIndicator storageHealthIndicator(ObjectStore objects) {
        return new StorageHealthIndicator(objects);
    }

    @Bean
    WorkSweeper workSweeper(Storage storage, StorageProperties props) {
        return new WorkSweeper(storage, props.workMaxAge());
    }

    /** HARK_FFMPEG: see {@link Ffmpeg#choose}. */
    @Bean
    Ffmpeg ffmpeg(@Value("${hark.ffmpeg:auto}") String setting) {
        return Ffmpeg.choose(setting);
    }

    @Bean
    KafkaAdmin.NewTopics harkTopics(HarkKafkaProperties props) {
        return TopicDeclarations.all(props);
    }

    /** The "kafka" component of /actuator/health; the broker's address comes from Boot's KafkaAdmin. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
        return new KafkaHealthIndicator(admin.getConfigurationProperties(), Duration.ofSeconds(3));
    }

    @Bean
    DatabaseMigrations databaseMigrations(DatabaseProperties props, ObjectProvider<ServiceSchema> schemas) {
        return new DatabaseMigrations(props, schemas.orderedStream().toList());
    }

    /**
     * Stage consumers retry with backoff; when the attempts are spent, or at once for input that
     * can never succeed, the record goes to its dead-letter topic and the job is failed with a reason.
     */
    @Bean
    DefaultErrorHandler stageErrorHandler(
            KafkaTemplate<String, byte[]> kafka,
            EventCodec codec,
            EventPublisher publisher,
            Storage storage,
            HarkKafkaProperties props) {
        DeadLetterPublishingRecoverer deadLetters = deadLetters(kafka);
        deadLetters.setHeadersFunction((record, failure) -> StageFailureRecoverer.reasonHeaders(record, failure));
        var recoverer = new StageFailureRecoverer(deadLetters, codec, publisher, storage);
        var handler = new DefaultErrorHandler(recoverer, backOff(props));
        handler.addNotRetryableExceptions(
                PermanentFailure.class, ReplayableFailure.class, EventDecodingException.class);
        return waitingOutOutages(handler, props);
    }

    /** Views only dead-letter what they cannot apply; a view's trouble is not the job's failure. */
    @Bean(VIEW_LISTENER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> viewListenerFactory(
            ConsumerFactory<String, byte[]> consumers, KafkaTemplate<String, byte[]> kafka, HarkKafkaProperties props) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(consumers);
        var handler = new DefaultErrorHandler(deadLetters(kafka), backOff(props));
        handler.addNotRetryableExceptions(EventDecodingException.class);
        factory.setCommonErrorHandler(waitingOutOutages(handler, props));
        return factory;
    }

    /** {@code <topic>.dlt}, same partition: a replay puts the record back where it came from. */
    private static DeadLetterPublishingRecoverer deadLetters(KafkaTemplate<String, byte[]> kafka) {
        return new DeadLetterPublishingRecoverer(
                kafka, (record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
    }

    /**
     * A record that failed because the broker or the database is away is retried until it is back
     * (up to {@code outage-max-wait}), not given up after the usual attempts: a stage would fail the
     * job, and a view would dead-letter an event it must fold, for an outage of a few seconds.
     */
    private static DefaultErrorHandler waitingOutOutages(DefaultErrorHandler handler, HarkKafkaProperties props) {
        handler.setBackOffFunction((record, failure) -> Outages.isOutage(failure) ? outageBackOff(props) : null);
        // The tracker compares root causes: once the outage ends and the record fails for a reason
        // of its own, it gets the usual attempts afresh instead of the outage's patience.
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }

    private static ExponentialBackOff outageBackOff(HarkKafkaProperties props) {
        var backOff = new ExponentialBackOff(props.retry().initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(props.retry().maxInterval().toMillis());
        backOff.setMaxElapsedTime(props.retry().outageMaxWait().toMillis());
        return backOff;
    }

    private static ExponentialBackOffWithMaxRetries backOff(HarkKafkaProperties props) {
        var backOff =
                new ExponentialBackOffWithMaxRetries(Math.max(0, props.retry().attempts() - 1));
        backOff.setInitialInterval(props.retry().initialInterval().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(props.retry().maxInterval().toMillis());
        return backOff;
    }
}
