package hark.upload.webhook;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    @Bean
    WebhookSender webhookSender(WebhookDeliveries deliveries, CallbackAddresses addresses, WebhookProperties props) {
        return new WebhookSender(deliveries, addresses, props);
    }
}
