package hark.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.storage.objects.LocalObjectStore;
import hark.platform.storage.objects.ObjectStore;
import hark.platform.storage.objects.ObjectUpload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkSweeperTest {

    private static final FileTime SEVEN_HOURS_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(7)));

    @TempDir
    Path root;

    @Test
    void leftoversOfACrashGoAndLiveWorkStays() throws IOException {
        ObjectStore objects = new LocalObjectStore(root);
        Storage storage = new Storage(objects, root.resolve("scratch"));
        UUID staleJob = UUID.randomUUID();
        UUID liveJob = UUID.randomUUID();
        UUID stillWorkedOn = UUID.randomUUID();
        String original = Storage.original(UUID.randomUUID(), "mp3");
        for (String key : new String[] {
            Storage.work(staleJob, "chunk-0000.wav"),
            Storage.work(staleJob, "chunk-0001.wav"),
            Storage.work(liveJob, "chunk-0000.wav"),
            Storage.work(stillWorkedOn, "prepared.mp3"),
            Storage.work(stillWorkedOn, "chunk-0000.mp3"),
            original
        }) {
            objects.writeSmall(key, "x".getBytes(StandardCharsets.UTF_8));
        }
        age(Storage.work(staleJob, "chunk-0000.wav"));
        age(Storage.work(staleJob, "chunk-0001.wav"));
        age(Storage.work(stillWorkedOn, "prepared.mp3"));
        age(original);
        ObjectUpload crashed = objects.upload(Storage.original(UUID.randomUUID(), "wav"));
        crashed.write(new byte[] {1, 2, 3});
        crashed.flush();
        try (Stream<Path> partials = Files.list(root.resolve(".partial"))) {
            partials.forEach(WorkSweeperTest::age);
        }
        Path oldScratch = storage.scratch(UUID.randomUUID()).dir();
        Path newScratch = storage.scratch(UUID.randomUUID()).dir();
        age(oldScratch);

        int removed = new WorkSweeper(storage, Duration.ofHours(6)).sweep();

        assertThat(removed)
                .as("the stale job, the unfinished upload, the old scratch folder")
                .isEqualTo(3);
        assertThat(objects.list(Storage.work(staleJob, ""))).isEmpty();
        assertThat(objects.exists(Storage.work(liveJob, "chunk-0000.wav"))).isTrue();
        assertThat(objects.list(Storage.work(stillWorkedOn, ""))).hasSize(2);
        assertThat(objects.exists(original))
                .as("originals are retention's, not the sweeper's")
                .isTrue();
        assertThat(root.resolve(".partial")).isEmptyDirectory();
        assertThat(oldScratch).doesNotExist();
        assertThat(newScratch).exists();
    }

    private void age(String key) {
        age(root.resolve(key));
    }

    private static void age(Path file) {
        try {
            Files.setLastModifiedTime(file, SEVEN_HOURS_AGO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
