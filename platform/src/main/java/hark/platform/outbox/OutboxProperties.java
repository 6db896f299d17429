package hark.platform.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** @param pollInterval how often the relay looks for unpublished events */
@ConfigurationProperties("hark.outbox")
public record OutboxProperties(Duration pollInterval) {
}
