package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's data folder and its secrets: nobody's but their owner's, from the first byte. */
class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void theSigningKeyIsMadeOnceOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Path data = dir.resolve("data");
        OwnerOnlyFiles.ownerOnlyFolder(data);
        Path key = data.resolve("jwt-secret");

        String secret = OwnerOnlyFiles.secret(key);

        assertThat(Base64.getDecoder().decode(secret)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(OwnerOnlyFiles.secret(key)).isEqualTo(secret);
        // Nothing half written is left beside it.
        try (var files = Files.list(data)) {
            assertThat(files).containsExactly(key);
        }
    }

    @Test
    void aKeyKeptWithLooserPermissionsByAnEarlierVersionIsClosed() throws Exception {
        Path key = Files.writeString(dir.resolve("jwt-secret"), "a key an earlier Hark wrote");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(OwnerOnlyFiles.secret(key)).isEqualTo("a key an earlier Hark wrote");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }
}
