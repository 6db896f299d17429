package hark.upload;

import hark.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * What uploads have left behind, to compare before and after a refused one: nodes, outbox ids
 * ever drawn (the relay deletes what it has sent, but the sequence never goes back), the originals
 * in the local object store, and its unfinished uploads (the files in its {@code .partial/} folder).
 */
final class Leftovers {

    private Leftovers() {}

    static String of(TestDatabase db, Path storage) {
        return database(db) + ", originals " + files(storage.resolve("originals")) + ", unfinished uploads "
                + files(storage.resolve(".partial"));
    }

    /** The database's part alone, for a store that is not a folder (a bucket). */
    static String database(TestDatabase db) {
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT (SELECT count(*) FROM upload.nodes), (SELECT last_value FROM upload.outbox_id_seq)")) {
            rs.next();
            return "nodes " + rs.getLong(1) + ", outbox sequence " + rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> files(Path folder) {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> folder.relativize(file).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
