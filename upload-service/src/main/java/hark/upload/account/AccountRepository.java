package hark.upload.account;

import io.r2dbc.spi.Row;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class AccountRepository {

    private static final String COLUMNS = "username, password_hash, admin, token_version";

    private final DatabaseClient db;

    private static final String NAME_HASH = "sha256(convert_to(:name, 'UTF8'))";

    public AccountRepository(DatabaseClient db) {
        this.db = db;
    }

    /** False when the name is taken. */
    public Mono<Boolean> create(String username, String passwordHash, boolean admin) {
        return db.sql("INSERT INTO upload.accounts (username, password_hash, admin, token_version)"
                        + " VALUES (:name, :hash, :admin, coalesce((SELECT token_version + 1 FROM upload.retired_names"
                        + " WHERE name_hash = " + NAME_HASH + "), 0))")
                .bind("name", username)
                .bind("hash", passwordHash)
                .bind("admin", admin)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0)
                .onErrorResume(DuplicateKeyException.class, taken -> Mono.just(false));
    }

    public Mono<Account> find(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM upload.accounts WHERE username = :name")
                .bind("name", username)
                .map((row, meta) -> account(row))
                .one();
    }

    /** A new password; every token signed before it is refused. The account after the change. */
    public Mono<Account> changePassword(String username, String passwordHash) {
        return update("password_hash = :hash, token_version = token_version + 1", username, "hash", passwordHash);
    }

    /**
     * Grants or withdraws the admin role. A withdrawal also ends every sign-in (their tokens carry
     * the role); a grant takes effect at the next sign-in. Empty when there is no such account.
     */
    public Mono<Account> setAdmin(String username, boolean admin) {
        return update(
                "token_version = token_version + CASE WHEN admin AND NOT :admin THEN 1 ELSE 0 END," + " admin = :admin",
                username,
                "admin",
                admin);
    }

    /**
     * The operator's account: made, or reset, as an admin with this password. An account that
     * someone else registered under the name loses its sign-ins.
     */
    public Mono<Account> ensureAdmin(String username, String passwordHash) {
        return db.sql("INSERT INTO upload.accounts (username, password_hash, admin) VALUES (:name, :hash, true)"
                        + " ON CONFLICT (username) DO UPDATE SET password_hash = :hash, admin = true,"
                        + " token_version = upload.accounts.token_version + 1 RETURNING " + COLUMNS)
                .bind("name", username)
                .bind("hash", passwordHash)
                .map((row, meta) -> account(row))
                .one();
    }

    /**
     * The account can no longer sign in (no password matches, every token is refused) and is marked
     * as being erased; its name stays taken until {@link #forgetErased} removes it.
     */
    public Mono<Account> markErasing(String username) {
        return db.sql(
                        "UPDATE upload.accounts SET password_hash = '!', admin = false, token_version = token_version + 1,"
                                + " erasing_since = coalesce(erasing_since, now()) WHERE username = :name RETURNING "
                                + COLUMNS)
                .bind("name", username)
                .map((row, meta) -> account(row))
                .one();
    }

    /**
     * Removes an account being erased, which frees its name; its last token version stays, under a
     * hash of the name, so that a newcomer's tokens start above the ones revoked. Idempotent.
     */
    public Mono<Long> forgetErased(String username) {
        return db.sql("WITH gone AS (DELETE FROM upload.accounts WHERE username = :name AND erasing_since IS NOT NULL"
                        + " RETURNING token_version) INSERT INTO upload.retired_names (name_hash, token_version)"
                        + " SELECT " + NAME_HASH + ", token_version FROM gone ON CONFLICT (name_hash)"
                        + " DO UPDATE SET token_version = greatest(upload.retired_names.token_version,"
                        + " excluded.token_version)")
                .bind("name", username)
                .fetch()
                .rowsUpdated();
    }

    private Mono<Account> update(String set, String username, String param, Object value) {
        return db.sql("UPDATE upload.accounts SET " + set + " WHERE username = :name RETURNING " + COLUMNS)
                .bind("name", username)
                .bind(param, value)
                .map((row, meta) -> account(row))
                .one();
    }

    private static Account account(Row row) {
        return new Account(
                row.get("username", String.class),
                row.get("password_hash", String.class),
                Boolean.TRUE.equals(row.get("admin", Boolean.class)),
                row.get("token_version", Integer.class));
    }
}
