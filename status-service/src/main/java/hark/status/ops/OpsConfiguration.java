package hark.status.ops;

import hark.platform.kafka.HarkKafkaProperties;
import hark.platform.kafka.TopicFeed;
import hark.schemas.EngineChosen;
import hark.schemas.Topics;
import hark.status.StatusServiceConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.r2dbc.core.DatabaseClient;

/** The operator's view of Hark: consumer lag, dead letters, engines, the admin overview. */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    /** One admin client for the ops figures, on the broker Boot's KafkaAdmin points at. */
    @Bean(destroyMethod = "close")
    Admin opsKafkaAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    ConsumerLag consumerLag(
            Admin opsKafkaAdmin,
            HarkKafkaProperties kafka,
            MeterRegistry registry,
            @Value("${hark.status.lag-refresh:15s}") Duration refresh) {
        return new ConsumerLag(opsKafkaAdmin, kafka.groupPrefix(), registry, refresh);
    }

    @Bean
    DeadLetterCounts deadLetterCounts(Admin opsKafkaAdmin) {
        return new DeadLetterCounts(opsKafkaAdmin);
    }

    @Bean
    EngineChoices engineChoices() {
        return new EngineChoices();
    }

    /** Every engine choice, from the topic's beginning at each start: the overview needs them all. */
    @Bean
    TopicFeed<EngineChosen> engineFeed(ConsumerFactory<String, byte[]> consumers, EngineChoices engineChoices) {
        return new TopicFeed<>(consumers, Topics.OPS_ENGINES, EngineChosen.class, engineChoices::apply, "engine-feed");
    }

    @Bean
    OverviewRepository overviewRepository(DatabaseClient db) {
        return new OverviewRepository(db, StatusServiceConfiguration.SCHEMA.name());
    }
}
