package hark.platform.startup;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ends a process whose start failed. Spring Boot closes the context of a failed run but leaves the
 * JVM to end by itself, which it never does while anything started beside the context (an embedded
 * broker, a database) still runs: the process would hang on with a stack trace as its last words.
 * Here what was started is stopped, the reason is the last line on stderr, and the exit status is 1.
 */
public final class FailedStart {

    /** What ends a failed start's output, before the reason. */
    public static final String PREFIX = "Hark did not start: ";

    private static final String PORT_IN_USE = "org.springframework.boot.web.server.PortInUseException";

    private static final Logger log = LoggerFactory.getLogger(FailedStart.class);

    // Stopping a broker or a database takes seconds; past this the exit does not wait for them
    // (a database left running is stopped by the next start on the same data folder).
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private FailedStart() {}

    /** Runs a service alone; if it does not start, the process ends (see {@link #exit}). */
    public static ConfigurableApplicationContext runOrExit(SpringApplication application, String... args) {
        try {
            return application.run(args);
        } catch (RuntimeException | Error failure) {
            throw exit(failure);
        }
    }

    /**
     * For a failure Spring Boot has already reported (its run failed): stops {@code started} in the
     * order given, prints the reason as the last line and ends the process with status 1.
     *
     * @return never; it is there so callers can write {@code throw FailedStart.exit(...)}
     */
    public static Error exit(Throwable failure, AutoCloseable... started) {
        stop(Arrays.asList(started));
        System.out.flush();
        System.err.println(PREFIX + reason(failure));
        System.err.flush();
        System.exit(1);
        return new AssertionError("unreachable: System.exit returned");
    }

    /** For a failure nobody has reported yet: logs its stack trace, unless it is a mistake in a setting, then {@link #exit}. */
    public static Error reportAndExit(Throwable failure, AutoCloseable... started) {
        if (find(failure, ConfigurationMistake.class) == null) {
            log.error("Start failed", failure);
        }
        return exit(failure, started);
    }

    /**
     * One line saying why: a mistake in a setting as its message says it; a setting Spring could
     * not bind, with where its value came from; a port in use as Spring Boot says it (the socket's
     * own message names no port); anything else as its root cause.
     */
    public static String reason(Throwable failure) {
        ConfigurationMistake mistake = find(failure, ConfigurationMistake.class);
        if (mistake != null) {
            return oneLine(mistake.getMessage());
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        BindException binding = find(failure, BindException.class);
        if (binding != null && binding != root) {
            ConfigurationProperty property = binding.getProperty();
            String value = property == null
                    ? ""
                    : ": '" + property.getValue() + "'"
                            + (property.getOrigin() == null ? "" : " from " + property.getOrigin());
            return oneLine(binding.getMessage() + value + " (" + cause + ")");
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // By name: the services without a web server do not have the class.
            if (t.getClass().getName().equals(PORT_IN_USE) && t.getMessage() != null) {
                return oneLine(t.getMessage());
            }
        }
        return oneLine(cause);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Stops each in turn, each whatever the others did, all within {@link #STOP_LIMIT}. */
    private static void stop(List<AutoCloseable> started) {
        if (started.isEmpty()) {
            return;
        }
        Thread stopper = new Thread(
                () -> {
                    for (AutoCloseable each : started) {
                        if (each == null) {
                            continue;
                        }
                        try {
                            each.close();
                        } catch (Exception | Error e) {
                            log.warn("Could not stop {} after the failed start: {}", each, e.toString());
                        }
                    }
                },
                "failed-start-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(STOP_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn("Stopping what was started took longer than {}; exiting without waiting", STOP_LIMIT);
        }
    }
}
