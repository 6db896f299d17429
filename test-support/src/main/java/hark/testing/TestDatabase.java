package hark.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL, started once per test JVM; every caller gets a database of its own so
 * test classes never see each other's rows.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static synchronized TestDatabase create() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stopServer));
            }
            String name = "hark_test_" + COUNTER.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value for {@code DATABASE_URL}: {@code postgresql://host:port/name}. */
    public String url() {
        return "postgresql://localhost:" + server.getPort() + "/" + name;
    }

    public String jdbcUrl() {
        return "jdbc:" + url();
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public Connection connect() throws SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    private static void stopServer() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the JVM is going away anyway
        }
    }
}
