package hark.upload.apikey;

import hark.platform.kafka.TopicFeed;
import hark.schemas.ApiKeyUsed;
import hark.schemas.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
public class ApiKeyConfiguration {

    /**
     * Each key's last use as every service tells it. The feed's own thread waits for each write:
     * the topic holds at most a record per key once compacted, and the writes never go backwards,
     * so reading it again from its start at each start changes nothing.
     */
    @Bean
    TopicFeed<ApiKeyUsed> apiKeyUseFeed(ConsumerFactory<String, byte[]> consumers, ApiKeyRepository keys) {
        return new TopicFeed<>(
                consumers,
                Topics.AUTH_API_KEY_USES,
                ApiKeyUsed.class,
                use -> keys.used(use.keyId(), use.username(), use.occurredAt()).block(Duration.ofSeconds(30)),
                "api-key-use-feed");
    }
}
