package hark.upload.apikey;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.platform.security.ApiKeyFormat;
import hark.platform.web.ApiException;
import hark.schemas.ApiKeyChanged;
import java.security.SecureRandom;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Issues and revokes API keys. The row and the event that tells every service commit together
 * (the outbox): a key no service will ever accept is never shown, and a revoked key cannot stay
 * accepted somewhere because this service stopped before telling.
 */
@Component
public class ApiKeyIssuer {

    private final ApiKeyRepository keys;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final ApiKeyProperties props;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyIssuer(
            ApiKeyRepository keys,
            TransactionalOperator tx,
            DatabaseClient db,
            EventPublisher publisher,
            @Qualifier("uploadOutboxRelay") OutboxRelay relay,
            ApiKeyProperties props) {
        this.keys = keys;
        this.tx = tx;
        this.props = props;
        this.outbox = new OutboxWriter(db, publisher, relay);
    }

    /** A new key and its row; the key is in the answer and nowhere else, ever. */
    public Mono<Issued> issue(String username, String name, boolean admin) {
        String key = ApiKeyFormat.newKey(random);
        String hash = ApiKeyFormat.hash(key);
        UUID id = UUID.randomUUID();
        Mono<Issued> work = keys.countLockingAccount(username)
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.FORBIDDEN, "This account cannot make API keys")))
                .flatMap(count -> count >= props.maxPerUser()
                        ? Mono.error(new ApiException(
                                HttpStatus.CONFLICT,
                                "You have " + count + " API keys, as many as an account may have: revoke one"
                                        + " first (DELETE /api/auth/keys/{id})"))
                        : keys.insert(id, username, name, hash, admin))
                .flatMap(row -> outbox.append(ApiKeyChanged.issued(row.id(), username, hash, admin))
                        .thenReturn(new Issued(row, key)));
        return tx.transactional(work);
    }

    /** Empty when the user has no key of that id, whoever else may have one. */
    public Mono<ApiKey> revoke(UUID id, String username) {
        return tx.transactional(keys.delete(id, username)
                .flatMap(row ->
                        outbox.append(ApiKeyChanged.revoked(row.id(), username)).thenReturn(row)));
    }

    /**
     * Every key of the user, in the caller's transaction: whatever ends all of an account's
     * sign-ins (a new password, a withdrawn admin role, erasure, the operator's reset) ends its
     * keys too, or a thief's key would outlive the password change meant to shut them out.
     */
    public Mono<Void> revokeAll(String username) {
        return keys.deleteAllOf(username)
                .concatMap(row -> outbox.append(ApiKeyChanged.revoked(row.id(), username)))
                .then();
    }

    /** A key as made: shown once. */
    public record Issued(ApiKey row, String key) {}
}
