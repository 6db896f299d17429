package hark.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Locale;

/**
 * @param maxUploadMb largest upload accepted, in MiB (the hosted APIs take 1-5 GB; chunking makes any size work)
 * @param extensions  file name endings accepted as audio
 */
@ConfigurationProperties("hark.upload")
public record UploadProperties(long maxUploadMb, List<String> extensions) {

    public long maxUploadBytes() {
        return maxUploadMb * 1024 * 1024;
    }

    public boolean accepts(String extension) {
        return extensions.contains(extension.toLowerCase(Locale.ROOT));
    }
}
