package hark.upload;

import static hark.platform.db.ServiceSchema.SharedTables.OUTBOX;

import hark.platform.PeriodicTask;
import hark.platform.PlatformConfiguration;
import hark.platform.db.DatabaseProperties;
import hark.platform.db.ServiceSchema;
import hark.platform.openapi.ApiDocumentation;
import hark.platform.outbox.OutboxProperties;
import hark.platform.outbox.OutboxRelay;
import hark.platform.security.SecurityConfiguration;
import hark.platform.storage.Storage;
import hark.platform.web.ApiErrors;
import hark.upload.account.AccountProperties;
import hark.upload.audio.PooledBuffers;
import hark.upload.idempotency.IdempotencyKeys;
import hark.upload.limits.RateLimits;
import hark.upload.retention.AudioRetention;
import java.time.Duration;
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

/** Everything upload-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import({PlatformConfiguration.class, ApiErrors.class, SecurityConfiguration.class, ApiDocumentation.class})
@PropertySource("classpath:hark-upload.properties")
@EnableConfigurationProperties({UploadProperties.class, AccountProperties.class})
@ComponentScan(
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class UploadServiceConfiguration {

    public static final ServiceSchema SCHEMA = ServiceSchema.of("upload", OUTBOX);

    @Bean
    ServiceSchema uploadSchema() {
        return SCHEMA;
    }

    @Bean
    OutboxRelay uploadOutboxRelay(DatabaseClient db, KafkaTemplate<String, byte[]> kafka, OutboxProperties props) {
        return new OutboxRelay(db, kafka, SCHEMA, props.pollInterval());
    }

    @Bean
    PooledBuffers pooledBuffers() {
        return new PooledBuffers();
    }

    @Bean
    RateLimits rateLimits(DatabaseProperties database) {
        return new RateLimits(database);
    }

    /** Buckets nobody has used for a while are full again: dropped, so strangers' tries leave no rows. */
    @Bean
    PeriodicTask rateLimitSweeper(RateLimits limits) {
        return new PeriodicTask("rate-limit-sweeper", Duration.ofMinutes(1), Duration.ofMinutes(5)) {
            @Override
            protected void runOnce() {
                limits.removeExpired();
            }
        };
    }

    /**
     * Keys past their day no longer count (every query says so); dropping their rows only keeps the
     * table as small as a day of keyed uploads.
     */
    @Bean
    PeriodicTask idempotencyKeySweeper(IdempotencyKeys keys) {
        return new PeriodicTask("idempotency-key-sweeper", Duration.ofMinutes(1), Duration.ofHours(1)) {
            @Override
            protected void runOnce() {
                keys.removeExpired();
            }
        };
    }

    @Bean
    AudioRetention audioRetention(DatabaseClient db, Storage storage, UploadProperties props) {
        return new AudioRetention(db, storage, props.audioRetentionPeriod());
    }
}
