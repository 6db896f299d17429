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
 * ever drawn (the relay deletes what it has sent, but the sequence never goes back), and the
 * files in storage's incoming folder.
 */
final class Leftovers {

    private Leftovers() {}

    static String of(TestDatabase db, Path storage) {
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT (SELECT count(*) FROM upload.nodes), (SELECT last_value FROM upload.outbox_id_seq)")) {
            rs.next();
            return "nodes " + rs.getLong(1) + ", outbox sequence " + rs.getLong(2) + ", incoming " + incoming(storage);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> incoming(Path storage) {
        Path folder = storage.resolve("incoming");
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
