package hark.standalone;

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

    private LocalInfrastructure(Path data, Map<String, String> env) {
        if (blank(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
            kafka = LocalKafkaBroker.start(data.resolve("kafka"), port(env.get("HARK_KAFKA_PORT")));
            settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        } else {
            kafka = null;
        }
        if (blank(env.get("DATABASE_URL"))) {
            postgres = LocalPostgres.start(data.resolve("postgres"), port(env.get("HARK_POSTGRES_PORT")));
            settings.put("DATABASE_URL", postgres.jdbcUrl().substring("jdbc:".length()));
            settings.put("DATABASE_USER", postgres.user());
            settings.put("DATABASE_PASSWORD", postgres.password());
        } else {
            postgres = null;
        }
    }

    public static LocalInfrastructure start(Path data, Map<String, String> env) {
        return new LocalInfrastructure(data, env);
    }

    /** Settings for the services, pointing at whatever was started here. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int port(String value) {
        return blank(value) ? 0 : Integer.parseInt(value.trim());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
