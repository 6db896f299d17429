package hark.upload.apikey;

import io.r2dbc.spi.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ApiKeyRepository {

    private static final String COLUMNS = "id, username, name, admin, created_at, last_used_at";

    private final DatabaseClient db;

    public ApiKeyRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The number of keys of the user, with the account's row locked until the transaction ends, so
     * that two requests at once cannot both slip under the cap. Empty when there is no such account.
     */
    Mono<Long> countLockingAccount(String username) {
        return db.sql("SELECT (SELECT count(*) FROM upload.api_keys WHERE username = :name) AS keys"
                        + " FROM upload.accounts WHERE username = :name AND erasing_since IS NULL FOR UPDATE")
                .bind("name", username)
                .map((row, meta) -> row.get("keys", Long.class))
                .one();
    }

    Mono<ApiKey> insert(UUID id, String username, String name, String keyHash, boolean admin) {
        return db.sql("INSERT INTO upload.api_keys (id, username, name, key_hash, admin)"
                        + " VALUES (:id, :name, :keyName, :hash, :admin) RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("name", username)
                .bind("keyName", name)
                .bind("hash", keyHash)
                .bind("admin", admin)
                .map((row, meta) -> apiKey(row))
                .one();
    }

    Flux<ApiKey> keysOf(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM upload.api_keys WHERE username = :name ORDER BY created_at, id")
                .bind("name", username)
                .map((row, meta) -> apiKey(row))
                .all();
    }

    /** The deleted key; empty when the user has no key of that id (someone else's included). */
    Mono<ApiKey> delete(UUID id, String username) {
        return db.sql("DELETE FROM upload.api_keys WHERE id = :id AND username = :name RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("name", username)
                .map((row, meta) -> apiKey(row))
                .one();
    }

    Flux<ApiKey> deleteAllOf(String username) {
        return db.sql("DELETE FROM upload.api_keys WHERE username = :name RETURNING " + COLUMNS)
                .bind("name", username)
                .map((row, meta) -> apiKey(row))
                .all();
    }

    /** Never backwards: uses arrive from every service, and again from the start of the topic. */
    Mono<Long> used(UUID id, String username, Instant at) {
        return db.sql("UPDATE upload.api_keys SET last_used_at = greatest(last_used_at, :at)"
                        + " WHERE id = :id AND username = :name")
                .bind("id", id)
                .bind("name", username)
                .bind("at", at.atOffset(ZoneOffset.UTC))
                .fetch()
                .rowsUpdated();
    }

    private static ApiKey apiKey(Row row) {
        return new ApiKey(
                row.get("id", UUID.class),
                row.get("username", String.class),
                row.get("name", String.class),
                Boolean.TRUE.equals(row.get("admin", Boolean.class)),
                row.get("created_at", OffsetDateTime.class),
                row.get("last_used_at", OffsetDateTime.class));
    }
}
