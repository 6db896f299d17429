package hark.status.rebuild;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A fresh copy of the view's tables in a schema of its own, and the swap that puts it in place
 * of the live tables.
 */
final class ViewCopy {

    /** Every table the projection writes; nothing else in the live schema is touched. */
    static final List<String> TABLES =
            List.of("transcriptions", "chunks", "changes", "processed_events", "erased_nodes", "titles");

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final String live;
    private final String copy;

    ViewCopy(DatabaseClient db, TransactionalOperator tx, String live, String copy) {
        this.db = db;
        this.tx = tx;
        this.live = live;
        this.copy = copy;
    }

    String schema() {
        return copy;
    }

    /** Empty tables shaped like the live ones: columns, defaults, identity, checks, indexes. */
    Mono<Void> create() {
        return drop().then(exec("CREATE SCHEMA " + copy))
                .thenMany(Flux.fromIterable(TABLES)
                        .concatMap(table -> exec("CREATE TABLE " + copy + "." + table + " (LIKE " + live + "." + table
                                + " INCLUDING ALL)")))
                .then();
    }

    Mono<Void> drop() {
        return exec("DROP SCHEMA IF EXISTS " + copy + " CASCADE");
    }

    Mono<Long> jobs() {
        return db.sql("SELECT count(*) FROM " + copy + ".transcriptions")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /**
     * Puts the copy in place of the live tables in one transaction: readers see the old view or the
     * new one, never a mix, and a failure leaves the old one as it was.
     */
    Mono<Void> swapIn() {
        Mono<Void> swap = exec("LOCK TABLE "
                        + String.join(
                                ", ", TABLES.stream().map(t -> live + "." + t).toList())
                        // All locks first, in the order readers take them (transcriptions, then chunks),
                        // so a reader of both cannot deadlock with the drops below.
                        + " IN ACCESS EXCLUSIVE MODE")
                .then(nextChangeSeq())
                .flatMap(nextSeq -> Flux.fromIterable(TABLES)
                        .concatMap(this::replace)
                        .then()
                        // The change log's seq is the live stream's event id: an open stream asks for
                        // seq > what it last saw, so new changes must keep counting up from the old
                        // table's numbers rather than start again at 1.
                        .then(exec("ALTER TABLE " + live + ".changes ALTER COLUMN seq RESTART WITH " + nextSeq)))
                // RESTRICT (the default): the copy schema must be empty now; anything left would be lost.
                .then(exec("DROP SCHEMA " + copy));
        return tx.transactional(swap);
    }

    /** Above both the old table's numbers (used or handed out) and the rebuilt ones. */
    private Mono<Long> nextChangeSeq() {
        return db.sql("SELECT greatest("
                        + " (SELECT coalesce(max(seq), 0) FROM " + live + ".changes),"
                        + " coalesce(pg_sequence_last_value(pg_get_serial_sequence('" + live
                        + ".changes', 'seq')::regclass), 0),"
                        + " (SELECT coalesce(max(seq), 0) FROM " + copy + ".changes)) + 1")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /**
     * Drops the live table and moves the copy in. LIKE named the copy's indexes itself
     * ({@code transcriptions_node_id_uploaded_at_idx} for {@code transcriptions_node}); they get
     * the old names back, so later migrations that name an index still find it. The identity
     * sequence moves with its table, and the old one went with the dropped table, so its name is free.
     */
    private Mono<Void> replace(String table) {
        return indexes(live, table)
                .flatMap(old -> exec("DROP TABLE " + live + "." + table)
                        .then(exec("ALTER TABLE " + copy + "." + table + " SET SCHEMA " + live))
                        .then(indexes(live, table))
                        .flatMapMany(moved -> Flux.fromIterable(renames(old, moved)))
                        .concatMap(rename -> exec("ALTER INDEX " + live + "." + quote(rename.from()) + " RENAME TO "
                                + quote(rename.to())))
                        .then());
    }

    private record Rename(String from, String to) {}

    /** Pairs each moved index with the old index of the same definition (name and table aside). */
    static List<Rename> renames(Map<String, String> old, Map<String, String> moved) {
        List<Rename> renames = new ArrayList<>();
        List<String> free = new ArrayList<>(moved.keySet());
        for (Map.Entry<String, String> before : old.entrySet()) {
            String shape = shape(before.getValue());
            free.stream()
                    .filter(name -> shape.equals(shape(moved.get(name))))
                    .findFirst()
                    .ifPresent(name -> {
                        free.remove(name);
                        if (!name.equals(before.getKey())) {
                            renames.add(new Rename(name, before.getKey()));
                        }
                    });
        }
        return renames;
    }

    /** {@code CREATE INDEX x ON s.t USING ...} without its name: what the index is. */
    private static String shape(String indexdef) {
        return indexdef.replaceFirst("^(CREATE (UNIQUE )?INDEX )(\"(?:[^\"]|\"\")*\"|\\S+) ON ", "$1ON ");
    }

    private Mono<Map<String, String>> indexes(String schema, String table) {
        return db.sql("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema AND tablename = :table")
                .bind("schema", schema)
                .bind("table", table)
                .map(row -> Map.entry(
                        Objects.requireNonNull(row.get("indexname", String.class)),
                        Objects.requireNonNull(row.get("indexdef", String.class))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private Mono<Void> exec(String sql) {
        return db.sql(sql).then();
    }
}
