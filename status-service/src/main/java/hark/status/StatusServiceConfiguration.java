package hark.status;

import hark.platform.PlatformConfiguration;
import hark.platform.db.ServiceSchema;
import hark.platform.openapi.ApiDocumentation;
import hark.platform.security.SecurityConfiguration;
import hark.platform.storage.TranscriptTexts;
import hark.platform.web.ApiErrors;
import hark.status.ops.JobMetrics;
import hark.status.view.StatusProjection;
import hark.status.view.StatusRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** Everything status-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import({PlatformConfiguration.class, ApiErrors.class, SecurityConfiguration.class, ApiDocumentation.class})
@PropertySource("classpath:hark-status.properties")
@EnableConfigurationProperties(StatusProperties.class)
@ComponentScan(
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class StatusServiceConfiguration {

    public static final ServiceSchema SCHEMA = ServiceSchema.of("status", ServiceSchema.SharedTables.INBOX);

    @Bean
    ServiceSchema statusSchema() {
        return SCHEMA;
    }

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry) {
        return new JobMetrics(registry);
    }

    @Bean
    StatusRepository statusRepository(DatabaseClient db) {
        return new StatusRepository(db, SCHEMA.name());
    }

    @Bean
    StatusProjection statusProjection(
            DatabaseClient db, TransactionalOperator tx, JsonMapper json, JobMetrics metrics, TranscriptTexts texts) {
        return new StatusProjection(db, tx, json, texts, SCHEMA.name(), metrics);
    }
}
