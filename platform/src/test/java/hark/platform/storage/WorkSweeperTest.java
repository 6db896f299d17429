package hark.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkSweeperTest {

    @TempDir
    Path root;

    @Test
    void leftoversOfACrashGoAndLiveWorkStays() throws IOException {
        Storage storage = new Storage(root);
        Path stale = Files.writeString(storage.work(UUID.randomUUID()).resolve("chunk-0000.wav"), "x")
                .getParent();
        Path live = Files.writeString(storage.work(UUID.randomUUID()).resolve("chunk-0000.wav"), "x")
                .getParent();
        Path partial = Files.writeString(storage.incoming().resolve(UUID.randomUUID() + ".part"), "x");
        Path original = Files.writeString(storage.original(UUID.randomUUID(), "mp3"), "x");
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(7)));
        for (Path p : new Path[] {stale, partial, original}) {
            Files.setLastModifiedTime(p, old);
        }

        int removed = new WorkSweeper(storage, Duration.ofHours(6)).sweep();

        assertThat(removed).isEqualTo(2);
        assertThat(stale).doesNotExist();
        assertThat(partial).doesNotExist();
        assertThat(live).exists();
        assertThat(original).exists();
    }
}
