package hark.upload.audio;

import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import hark.upload.limits.RateLimits;
import hark.upload.limits.RateLimits.Limit;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * How much new work one user may start: uploads, retries and reprocess calls share a rate limit
 * (HARK_UPLOADS_PER_MINUTE, across every instance), and recordings kept may fill a storage quota
 * (HARK_USER_QUOTA_MB). Checked before a byte is stored; the quota once more when the size is known.
 */
@Component
public class UploadAllowance {

    private static final double MIB = 1024.0 * 1024.0;

    private final RateLimits limits;
    private final DatabaseClient db;
    private final UploadProperties props;

    public UploadAllowance(RateLimits limits, DatabaseClient db, UploadProperties props) {
        this.limits = limits;
        this.db = db;
        this.props = props;
    }

    /** One more upload, retry or reprocess call of {@code user}; 429 with Retry-After when over the rate. */
    public Mono<Void> take(String user) {
        int perMinute = props.uploadsPerMinute();
        return limits.take(
                "uploads/" + user,
                Limit.perMinute(perMinute),
                wait -> "Too many uploads: at most " + perMinute + " a minute. Try again in "
                        + ApiException.inWords(wait) + ".");
    }

    /**
     * 413 when {@code user}'s recordings and {@code adding} more bytes would not fit the quota; with
     * {@code adding} 0, when the quota is already full.
     */
    public Mono<Void> fits(String user, long adding) {
        long quota = props.userQuotaMb() * 1024 * 1024;
        if (quota <= 0) {
            return Mono.empty();
        }
        return db.sql("SELECT coalesce(sum(audio_size_bytes), 0) AS used FROM upload.nodes"
                        + " WHERE user_id = :user AND audio_path IS NOT NULL AND audio_deleted_at IS NULL")
                .bind("user", user)
                .map(row -> row.get("used", Long.class))
                .one()
                .flatMap(used -> (adding > 0 ? used + adding <= quota : used < quota)
                        ? Mono.<Void>empty()
                        : Mono.error(new ApiException(
                                HttpStatus.CONTENT_TOO_LARGE,
                                String.format(
                                        Locale.ROOT,
                                        "Storage quota reached: your recordings take %.1f MB of your %d MB%s",
                                        used / MIB,
                                        props.userQuotaMb(),
                                        adding > 0
                                                ? String.format(
                                                        Locale.ROOT, ", and this one needs %.1f MB more", adding / MIB)
                                                : ""))));
    }
}
