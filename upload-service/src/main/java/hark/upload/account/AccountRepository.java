package hark.upload.account;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class AccountRepository {

    private final DatabaseClient db;

    public AccountRepository(DatabaseClient db) {
        this.db = db;
    }

    /** False when the name is taken. */
    public Mono<Boolean> create(String username, String passwordHash) {
        return db.sql("INSERT INTO upload.accounts (username, password_hash) VALUES (:name, :hash)")
                .bind("name", username).bind("hash", passwordHash).fetch().rowsUpdated()
                .map(rows -> rows > 0)
                .onErrorResume(DuplicateKeyException.class, taken -> Mono.just(false));
    }

    public Mono<String> passwordHash(String username) {
        return db.sql("SELECT password_hash FROM upload.accounts WHERE username = :name").bind("name", username)
                .map(row -> row.get(0, String.class)).one();
    }
}
