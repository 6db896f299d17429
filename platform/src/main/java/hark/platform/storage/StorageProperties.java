package hark.platform.storage;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param root       folder that holds originals and intermediate files; every service that reads audio mounts it
 * @param workMaxAge intermediate files untouched this long are leftovers of a crash, and are removed
 */
@ConfigurationProperties("hark.storage")
public record StorageProperties(Path root, Duration workMaxAge) {}
