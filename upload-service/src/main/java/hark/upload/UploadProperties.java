package hark.upload;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;

/**
 * @param maxUploadMb largest upload accepted, in MiB (the hosted APIs take 1-5 GB; chunking makes any size work)
 * @param extensions  file name endings accepted as audio
 * @param audioRetention how long original recordings are kept: {@code forever} (the default), or a
 *                       duration such as {@code 30d} after which a recording whose job is not
 *                       running is removed (its node and transcript stay)
 * @param uploadsPerMinute uploads, retries and reprocess calls each user may start a minute; 0 = no limit
 * @param userQuotaMb    storage each user's recordings may take, in MiB; 0 = unlimited
 */
@ConfigurationProperties("hark.upload")
public record UploadProperties(
        long maxUploadMb, List<String> extensions, String audioRetention, int uploadsPerMinute, long userQuotaMb) {

    /** Null when recordings are kept for good. */
    public Duration audioRetentionPeriod() {
        if (audioRetention == null || audioRetention.isBlank() || "forever".equalsIgnoreCase(audioRetention.strip())) {
            return null;
        }
        return DurationStyle.detectAndParse(audioRetention.strip());
    }

    public long maxUploadBytes() {
        return maxUploadMb * 1024 * 1024;
    }

    public boolean accepts(String extension) {
        return extensions.contains(extension.toLowerCase(Locale.ROOT));
    }
}
