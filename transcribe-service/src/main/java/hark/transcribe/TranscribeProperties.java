package hark.transcribe;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param engine      {@code auto} or an engine's name ({@code sphinx})
 * @param concurrency chunks transcribed at once in this process
 */
@ConfigurationProperties("hark.transcribe")
public record TranscribeProperties(String engine, int concurrency) {
}
