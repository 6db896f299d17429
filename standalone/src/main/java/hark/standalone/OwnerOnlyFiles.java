package hark.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local run's data folder and the secrets in it, readable by their owner only: recordings,
 * transcripts and keys are nobody else's business on a shared machine. A secret is written to a
 * file that has its final permissions from the moment it exists, and renamed into place, so no
 * reader ever sees it half written or open to others.
 */
public final class OwnerOnlyFiles {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {}

    /** Makes {@code dir} if needed, and closes it to everyone but its owner. */
    public static void ownerOnlyFolder(Path dir) {
        try {
            Files.createDirectories(dir);
            if (POSIX) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make " + dir + " private", e);
        }
    }

    /** The secret kept in {@code file}, made (32 random bytes, base64) the first time. */
    public static String secret(Path file) {
        try {
            if (Files.exists(file)) {
                if (POSIX) {
                    // Kept by an earlier version with looser permissions: closed now.
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            write(secret, file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep a secret in " + file, e);
        }
    }

    /** {@code secret} in a file of its own (for a program that reads it from one). */
    public static Path copy(String secret, Path file) {
        try {
            write(secret, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + file, e);
        }
    }

    private static void write(String secret, Path file) throws IOException {
        ownerOnlyFolder(file.getParent());
        FileAttribute<?>[] ownerOnly = POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
        Path draft = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new", ownerOnly);
        Files.writeString(draft, secret, StandardCharsets.US_ASCII);
        Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
