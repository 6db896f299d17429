package hark.standalone.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server (zonky's bundled binaries) whose cluster lives in a given directory and is
 * reused on the next start. Works as root too: zonky then runs the binaries under {@code unshare -U}.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String USER = "postgres";
    // initdb runs with trust authentication, so any password is accepted; a non-empty one keeps
    // clients that insist on a password happy.
    private static final String PASSWORD = "postgres";
    private static final String DATABASE = "postgres";
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, running initdb only if the directory holds no cluster yet.
     *
     * @param port the server port; 0 picks a free one
     */
    public static LocalPostgres start(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath();
        stopOrphanedPostmaster(dir);
        try {
            return new LocalPostgres(EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky turns this off for test speed; here a commit must survive a crash.
                .setServerConfig("synchronous_commit", "on")
                // Leaves room for crash recovery after an unclean stop.
                .setPGStartupWait(Duration.ofSeconds(60))
                // The owner closes it after the services that use it; zonky's own hook would race them.
                .setRegisterShutdownHook(false)
                .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
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
            throw new IllegalStateException("Orphaned PostgreSQL (pid " + postmaster.get().pid()
                + ") on " + dataDir + " did not stop", e);
        }
    }

    private static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            // Absent or unreadable: nothing we could safely stop.
            return Optional.empty();
        }
    }

    // Guards against the pid having been reused by an unrelated process since the crash.
    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/postgres")).orElse(false);
    }
}
