package hark.upload.webhook;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Each user's webhook signing secret and default callback address. The secret is made here and
 * handed out once; what is kept is the key it stands for, which signing needs (see docs/security.md).
 */
@Repository
public class WebhookSettings {

    /** Standard Webhooks' secret form: the prefix, then the key's bytes in base64. */
    static final String SECRET_PREFIX = "whsec_";

    private static final int KEY_BYTES = 32;

    private final DatabaseClient db;
    private final SecureRandom random = new SecureRandom();

    public WebhookSettings(DatabaseClient db) {
        this.db = db;
    }

    /** A user's settings; both parts may be missing. */
    public record Settings(String defaultUrl, OffsetDateTime secretCreatedAt) {}

    /** A new secret for the user, replacing any earlier one: calls signed from now on use it. */
    public Mono<String> newSecret(String userId) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return db.sql("INSERT INTO upload.webhook_settings (user_id, signing_key, secret_created_at)"
                        + " VALUES (:user, :key, now()) ON CONFLICT (user_id) DO UPDATE"
                        + " SET signing_key = excluded.signing_key, secret_created_at = now(), updated_at = now()")
                .bind("user", userId)
                .bind("key", key)
                .fetch()
                .rowsUpdated()
                .thenReturn(SECRET_PREFIX + Base64.getEncoder().encodeToString(key));
    }

    public Mono<Settings> of(String userId) {
        return db.sql("SELECT default_url, secret_created_at FROM upload.webhook_settings WHERE user_id = :user")
                .bind("user", userId)
                .map(row -> new Settings(
                        row.get("default_url", String.class), row.get("secret_created_at", OffsetDateTime.class)))
                .one()
                .defaultIfEmpty(new Settings(null, null));
    }

    public Mono<Boolean> hasSecret(String userId) {
        return of(userId).map(settings -> settings.secretCreatedAt() != null);
    }

    /** The default callback address, or none (null). */
    public Mono<Void> setDefaultUrl(String userId, String url) {
        return db.sql("INSERT INTO upload.webhook_settings (user_id, default_url) VALUES (:user, :url)"
                        + " ON CONFLICT (user_id) DO UPDATE SET default_url = excluded.default_url, updated_at = now()")
                .bind("user", userId)
                .bind("url", Parameter.fromOrEmpty(url, String.class))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** The key calls of the user are signed with, if they made a secret. */
    Mono<Optional<byte[]>> signingKey(String userId) {
        return db.sql("SELECT signing_key FROM upload.webhook_settings WHERE user_id = :user")
                .bind("user", userId)
                .map(row -> Optional.ofNullable(row.get("signing_key", byte[].class)))
                .one()
                .defaultIfEmpty(Optional.empty());
    }

    /** Everything of the user's webhooks: their settings, secret and calls (their account is erased). */
    public Mono<Void> forget(String userId) {
        return db.sql("DELETE FROM upload.webhook_settings WHERE user_id = :user")
                .bind("user", userId)
                .fetch()
                .rowsUpdated()
                .then(db.sql("DELETE FROM upload.webhook_deliveries WHERE user_id = :user")
                        .bind("user", userId)
                        .fetch()
                        .rowsUpdated())
                .then();
    }
}
