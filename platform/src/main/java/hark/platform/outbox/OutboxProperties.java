package hark.platform.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param pollInterval how often the relay looks for unpublished events */
@ConfigurationProperties("hark.outbox")
public record OutboxProperties(Duration pollInterval) {}
