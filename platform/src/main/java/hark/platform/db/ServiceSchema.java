package hark.platform.db;

/**
 * A database schema that one service owns, migrated from {@code classpath:db/<name>}.
 *
 * @param outbox whether the service publishes through an outbox table in its schema
 * @param inbox  whether the service records processed event ids in its schema
 */
public record ServiceSchema(String name, boolean outbox, boolean inbox) {

    public String table(String table) {
        return name + "." + table;
    }
}
