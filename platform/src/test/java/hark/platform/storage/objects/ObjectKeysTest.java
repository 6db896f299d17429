package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void thePathsTheServicesBuildAreKeys() {
        UUID job = UUID.randomUUID();
        for (String key : new String[] {
            "originals/" + job + ".m4a",
            "work/" + job + "/prepared.mp3",
            "work/" + job + "/chunk-0003.wav",
            "texts/42/" + job + "/chunk-00003.json",
            "texts/42/" + job + "/transcript.txt",
            "incoming/" + job + ".part"
        }) {
            assertThat(ObjectKeys.requireKey(key)).isEqualTo(key);
        }
    }

    @Test
    void aPrefixIsAFolder() {
        assertThat(ObjectKeys.requirePrefix("")).isEmpty();
        assertThat(ObjectKeys.requirePrefix("texts/42/")).isEqualTo("texts/42/");
        assertThatThrownBy(() -> ObjectKeys.requirePrefix("texts/42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.requirePrefix("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.requirePrefix("../")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVeryLongKeyIsRefused() {
        assertThatThrownBy(() -> ObjectKeys.requireKey("a".repeat(513))).isInstanceOf(IllegalArgumentException.class);
    }
}
