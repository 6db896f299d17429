package hark.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.storage.objects.LocalObjectStore;
import hark.platform.storage.objects.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTitlesTest {

    @TempDir
    Path root;

    @Test
    void renamingANoteOverAndOverKeepsOnlyItsNewestTitlesInTheStore() {
        ObjectStore objects = new LocalObjectStore(root);
        TranscriptTexts texts = new TranscriptTexts(objects);
        String neighbours = texts.title(8, "Another note");

        String newest = null;
        for (int i = 1; i <= 50; i++) {
            newest = texts.title(7, "Name number " + i);
        }

        assertThat(objects.list(Storage.texts(7) + "titles/")).hasSize(TranscriptTexts.TITLES_KEPT);
        assertThat(texts.readTitle(newest)).contains("Name number 50");
        assertThat(texts.readTitle(neighbours)).contains("Another note");
    }
}
