package hark.transcribe;

import hark.platform.PlatformConfiguration;
import hark.platform.db.ServiceSchema;
import hark.platform.outbox.OutboxProperties;
import hark.platform.outbox.OutboxRelay;
import hark.transcribe.engine.TranscriptionEngine;
import hark.transcribe.engine.sphinx.SphinxEngine;
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

/** Everything transcribe-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import(PlatformConfiguration.class)
@PropertySource("classpath:hark-transcribe.properties")
@EnableConfigurationProperties(TranscribeProperties.class)
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class TranscribeServiceConfiguration {

    public static final ServiceSchema SCHEMA = new ServiceSchema("transcribe", true, false);

    @Bean
    ServiceSchema transcribeSchema() {
        return SCHEMA;
    }

    @Bean
    OutboxRelay transcribeOutboxRelay(DatabaseClient db, TransactionalOperator tx,
                                      KafkaTemplate<String, byte[]> kafka, OutboxProperties props) {
        return new OutboxRelay(db, tx, kafka, SCHEMA, props.pollInterval());
    }

    /** The paid API engine arrives with its own issue; until then every choice is the offline one. */
    @Bean
    TranscriptionEngine transcriptionEngine(TranscribeProperties props) {
        return switch (props.engine()) {
            case "auto", "sphinx" -> new SphinxEngine(props.concurrency());
            case "openai" -> throw new IllegalArgumentException(
                    "HARK_ENGINE=openai is not available yet: use auto or sphinx");
            default -> throw new IllegalArgumentException("Unknown HARK_ENGINE '" + props.engine()
                    + "': use auto or sphinx");
        };
    }
}
