package hark.standalone.infra;

import hark.standalone.OwnerOnlyFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server (zonky's bundled binaries) whose cluster lives in a given directory and is
 * reused on the next start. Works as root too: zonky then runs the binaries under {@code unshare -U}.
 * It takes connections only with its password, made at the first start and kept beside the
 * cluster (readable by its owner only): zonky's default trusts anyone on the machine.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";
    private static final String PASSWORD_AUTH = "scram-sha-256";
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final String password;

    private LocalPostgres(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, running initdb only if the directory holds no cluster yet.
     *
     * @param port the server port; 0 picks a free one
     */
    public static LocalPostgres start(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath();
        stopOrphanedPostmaster(dir);
        Path passwordFile = dir.resolveSibling(dir.getFileName() + "-password");
        boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
        // A cluster made before passwords: it trusted everyone, and gets its password below.
        boolean trusting = !fresh && !Files.exists(passwordFile);
        String password = OwnerOnlyFiles.secret(passwordFile);
        Path initialPassword =
                fresh ? OwnerOnlyFiles.copy(password, dir.resolveSibling(dir.getFileName() + "-initdb")) : null;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky turns this off for test speed; here a commit must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    // Leaves room for crash recovery after an unclean stop.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // The owner closes it after the services that use it; zonky's own hook would race them.
                    .setRegisterShutdownHook(false)
                    .setConnectConfig("password", password);
            if (fresh) {
                // initdb's options after zonky's own "-A trust": the later ones win.
                builder.setLocaleConfig("auth", PASSWORD_AUTH).setLocaleConfig("pwfile", initialPassword.toString());
            }
            LocalPostgres started = new LocalPostgres(builder.start(), password);
            if (trusting) {
                started.requirePassword(dir);
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dir, e);
        } finally {
            if (initialPassword != null) {
                OwnerOnlyFiles.delete(initialPassword);
            }
        }
    }

    /** Gives a cluster that trusted every local connection its password, and asks for it from now on. */
    private void requirePassword(Path dir) throws IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
                Statement statement = connection.createStatement()) {
            // The password is base64: no quote can end the literal.
            statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            Path hba = dir.resolve("pg_hba.conf");
            Files.writeString(hba, Files.readString(hba).replaceAll("\\btrust\\b", PASSWORD_AUTH));
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not give PostgreSQL in " + dir + " its password", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL", e);
        }
    }

    /**
     * pg_ctl daemonises the postmaster, so a JVM killed with SIGKILL leaves it running on the old
     * port, still holding the data directory; the next start would then fail. Stop it first.
     */
    private static void stopOrphanedPostmaster(Path dataDir) {
        Optional<ProcessHandle> postmaster = postmasterPid(dataDir)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(LocalPostgres::isPostgres);
        if (postmaster.isEmpty()) {
            return;
        }
        // SIGTERM is PostgreSQL's "smart" shutdown; the orphan's clients died with the old JVM.
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(ORPHAN_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping orphaned PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Orphaned PostgreSQL (pid " + postmaster.get().pid() + ") on " + dataDir + " did not stop", e);
        }
    }

    private static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            // Absent or unreadable: nothing we could safely stop.
            return Optional.empty();
        }
    }

    // Guards against the pid having been reused by an unrelated process since the crash.
    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> command.endsWith("/postgres"))
                .orElse(false);
    }
}
