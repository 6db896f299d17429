package hark.platform.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/** @param root folder that holds originals and intermediate files; every service that reads audio mounts it */
@ConfigurationProperties("hark.storage")
public record StorageProperties(Path root) {
}
