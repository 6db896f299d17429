package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path root;

    @Override
    ObjectStore openStore() {
        return new LocalObjectStore(root);
    }

    @Override
    int partSize() {
        return S3ObjectStore.MIN_PART_SIZE;
    }

    @Override
    void assertNoUnfinishedUploads() {
        Path partials = root.resolve(".partial");
        if (Files.isDirectory(partials)) {
            try (Stream<Path> files = Files.list(partials)) {
                assertThat(files).as("partial files").isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    void setLastModified(String key, Instant when) {
        try {
            Files.setLastModifiedTime(root.resolve(key), FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theKeysAreThePathsTheServicesAlreadyShare() {
        store.writeSmall("texts/5/job/transcript.txt", new byte[] {1, 2});

        assertThat(root.resolve("texts/5/job/transcript.txt")).hasBinaryContent(new byte[] {1, 2});
    }

    @Test
    void removingTheLastObjectOfAFolderRemovesTheFolder() {
        store.writeSmall("texts/5/job/transcript.txt", new byte[] {1});
        store.writeSmall("originals/keep.wav", new byte[] {1});

        store.delete("texts/5/job/transcript.txt");
        store.writeSmall("work/job/chunk-0000.mp3", new byte[] {1});
        store.deletePrefix("work/job/");

        assertThat(root.resolve("texts")).doesNotExist();
        assertThat(root.resolve("work")).doesNotExist();
        assertThat(root.resolve("originals/keep.wav")).exists();
    }

    @Test
    void aFetchInTheSameFileSystemLinksInsteadOfCopying() throws IOException {
        store.writeSmall("originals/linked.wav", new byte[] {1, 2, 3});
        Path scratchFile = root.resolveSibling(root.getFileName() + "-scratch").resolve("linked.wav");

        store.fetch("originals/linked.wav", scratchFile);

        assertThat(Files.isSameFile(scratchFile, root.resolve("originals/linked.wav")))
                .isTrue();
        store.writeSmall("originals/linked.wav", new byte[] {9});
        assertThat(scratchFile)
                .as("an object is replaced by a rename, so a fetched copy keeps what it got")
                .hasBinaryContent(new byte[] {1, 2, 3});
    }
}
