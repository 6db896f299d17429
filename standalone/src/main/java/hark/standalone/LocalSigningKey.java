package hark.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs sign-in tokens of the local run: made once, kept in the data folder (readable
 * by its owner only), so that people stay signed in across restarts.
 */
final class LocalSigningKey {

    private LocalSigningKey() {
    }

    static String loadOrCreate(Path data) {
        Path file = data.resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            Files.createDirectories(data);
            Files.writeString(file, secret, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data folder's own permissions apply.
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the signing key in " + file, e);
        }
    }
}
