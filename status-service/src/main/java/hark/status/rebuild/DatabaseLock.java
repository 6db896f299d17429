package hark.status.rebuild;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One rebuild at a time across processes that share the database: two status services each
 * stopping their own listener would otherwise both find the group empty, and one would drop the
 * copy schema the other is filling. A session advisory lock on a connection held for the whole
 * rebuild; it goes away with the session if the process dies.
 */
final class DatabaseLock implements AutoCloseable {

    private static final String KEY = "hashtext('hark.status.rebuild')";

    private final Connection connection;

    private DatabaseLock(Connection connection) {
        this.connection = connection;
    }

    static DatabaseLock tryTake(ConnectionFactory connections) {
        Connection connection = Mono.from(connections.create()).block();
        boolean taken;
        try {
            taken = Boolean.TRUE.equals(select(connection, "SELECT pg_try_advisory_lock(" + KEY + ")"));
        } catch (RuntimeException e) {
            close(connection);
            throw e;
        }
        if (!taken) {
            close(connection);
            throw new RebuildRefused("A rebuild of the status view is already running (in another status-service).");
        }
        return new DatabaseLock(connection);
    }

    @Override
    public void close() {
        try {
            // Explicitly: a pooled connection goes back to the pool with its session, lock and all.
            select(connection, "SELECT pg_advisory_unlock(" + KEY + ")");
        } finally {
            close(connection);
        }
    }

    private static Boolean select(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .flatMap(result -> result.map((row, meta) -> row.get(0, Boolean.class)))
                .next()
                .block();
    }

    private static void close(Connection connection) {
        Mono.from(connection.close()).block();
    }
}
