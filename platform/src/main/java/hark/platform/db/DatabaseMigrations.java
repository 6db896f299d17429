package hark.platform.db;

import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Migrates each service's own schema with its own history table, so services can share one
 * PostgreSQL (the local run) or have one each (a deployment) with the same migrations.
 * Runs while beans are created, before any listener or web server starts.
 */
public class DatabaseMigrations implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseMigrations.class);

    private final DatabaseProperties database;
    private final List<ServiceSchema> schemas;

    public DatabaseMigrations(DatabaseProperties database, List<ServiceSchema> schemas) {
        this.database = database;
        this.schemas = schemas;
    }

    @Override
    public void afterPropertiesSet() {
        schemas.forEach(this::migrate);
    }

    public void migrate(ServiceSchema schema) {
        List<String> locations = new ArrayList<>(List.of("classpath:db/" + schema.name()));
        if (schema.outbox()) {
            locations.add("classpath:db/outbox");
        }
        if (schema.inbox()) {
            locations.add("classpath:db/inbox");
        }
        var result = Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .schemas(schema.name())
                .createSchemas(true)
                .table("flyway_history")
                .locations(locations.toArray(String[]::new))
                .connectRetries(10)
                // The shared migrations (outbox, inbox) are numbered below each service's own, so a
                // service that takes one on later, or a shared table added later, lands out of order.
                .outOfOrder(true)
                .load()
                .migrate();
        log.info(
                "Schema {} at version {} ({} migrations applied)",
                schema.name(),
                result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}
