package hark.prep;

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
import hark.platform.storage.Storage;
import hark.prep.lanes.Lanes;
import hark.schemas.EventCodec;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Everything audio-prep-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import(PlatformConfiguration.class)
@PropertySource("classpath:hark-prep.properties")
@EnableConfigurationProperties({PrepProperties.class, Lanes.Settings.class})
@ComponentScan(
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class AudioPrepServiceConfiguration {

    /** Only what the stages have processed, the jobs cancelled and the outbox of their outputs. */
    public static final ServiceSchema SCHEMA = ServiceSchema.of("prep", OUTBOX, INBOX);

    @Bean
    ServiceSchema prepSchema() {
        return SCHEMA;
    }

    @Bean
    OutboxRelay prepOutboxRelay(DatabaseClient db, KafkaTemplate<String, byte[]> kafka, OutboxProperties props) {
        return new OutboxRelay(db, kafka, SCHEMA, props.pollInterval());
    }

    @Bean
    StageInbox prepInbox(
            DatabaseClient db, TransactionalOperator tx, EventPublisher publisher, OutboxRelay prepOutboxRelay) {
        return new StageInbox(db, tx, publisher, prepOutboxRelay);
    }

    @Bean
    CancellationListener prepCancellations(
            HarkKafkaProperties kafka, EventCodec codec, StageInbox prepInbox, Storage storage) {
        return new CancellationListener(
                kafka.groupPrefix() + "-prep-cancel",
                codec,
                prepInbox,
                storage,
                job -> {},
                // Prep keeps nothing of a node beyond the job's work files, gone with the job.
                erased -> {});
    }
}
