package hark.platform.db;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A database schema that one service owns, migrated from {@code classpath:db/<name>}, with the
 * shared tables the service uses: {@code ServiceSchema.of("prep", OUTBOX, INBOX)}.
 */
public record ServiceSchema(String name, Set<SharedTables> shared) {

    /** The tables every service can take from the platform, migrated from {@code classpath:db/<table>}. */
    public enum SharedTables {
        /** Events waiting to be published, written with the state they announce. */
        OUTBOX,
        /** The event ids each consumer has applied, and the jobs cancelled. */
        INBOX
    }

    public ServiceSchema {
        shared = Set.copyOf(shared);
    }

    public static ServiceSchema of(String name, SharedTables... shared) {
        return new ServiceSchema(
                name, shared.length == 0 ? EnumSet.noneOf(SharedTables.class) : EnumSet.copyOf(List.of(shared)));
    }

    public boolean outbox() {
        return shared.contains(SharedTables.OUTBOX);
    }

    public boolean inbox() {
        return shared.contains(SharedTables.INBOX);
    }

    public String table(String table) {
        return name + "." + table;
    }
}
