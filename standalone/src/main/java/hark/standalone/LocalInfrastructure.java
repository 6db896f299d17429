package hark.standalone;

import hark.platform.startup.ConfigurationMistake;
import hark.standalone.infra.LocalKafkaBroker;
import hark.standalone.infra.LocalPostgres;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker and database of the one-command run: embedded ones whose data lives in the data
 * folder, unless the environment already points at real ones.
 */
public final class LocalInfrastructure implements AutoCloseable {

    private final LocalKafkaBroker kafka;
    private final LocalPostgres postgres;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private LocalInfrastructure(LocalKafkaBroker kafka, LocalPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
        if (kafka != null) {
            settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        }
        if (postgres != null) {
            settings.put("DATABASE_URL", postgres.jdbcUrl().substring("jdbc:".length()));
            settings.put("DATABASE_USER", postgres.user());
            settings.put("DATABASE_PASSWORD", postgres.password());
        }
    }

    /** Starts what the environment does not point at; if either fails to start, the other is stopped again. */
    public static LocalInfrastructure start(Path data, Map<String, String> env) {
        boolean ownKafka = blank(env.get("KAFKA_BOOTSTRAP_SERVERS"));
        boolean ownPostgres = blank(env.get("DATABASE_URL"));
        // Both ports are read first: a mistake in either is told before anything starts.
        int kafkaPort = ownKafka ? port("HARK_KAFKA_PORT", env) : 0;
        int postgresPort = ownPostgres ? port("HARK_POSTGRES_PORT", env) : 0;
        LocalKafkaBroker kafka = ownKafka ? LocalKafkaBroker.start(data.resolve("kafka"), kafkaPort) : null;
        try {
            LocalPostgres postgres = ownPostgres ? LocalPostgres.start(data.resolve("postgres"), postgresPort) : null;
            return new LocalInfrastructure(kafka, postgres);
        } catch (RuntimeException | Error e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    /** Settings for the services, pointing at whatever was started here. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static int port(String name, Map<String, String> env) {
        String value = env.get(name);
        if (blank(value)) {
            return 0;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // Told below, the same as a number out of range.
        }
        throw new ConfigurationMistake(
                name + " '" + value + "': use a port number from 1 to 65535, " + "or leave it unset for a free port");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
