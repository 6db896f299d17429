package hark.upload.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.platform.web.ApiException;
import org.junit.jupiter.api.Test;

class NoteTitleRulesTest {

    @Test
    void aFileNameBecomesATitleWithoutFoldersExtensionOrControlCharacters() {
        assertThat(NoteTitle.fromFileName("Team meeting.m4a")).isEqualTo("Team meeting");
        assertThat(NoteTitle.fromFileName("C:\\Users\\ada\\Voice memo.final.wav"))
                .isEqualTo("Voice memo.final");
        assertThat(NoteTitle.fromFileName("../../etc/passwd.wav")).isEqualTo("passwd");
        assertThat(NoteTitle.fromFileName("line\nbreak\u0000and\ttab.wav")).isEqualTo("line break and tab");
        assertThat(NoteTitle.fromFileName(".wav")).isEqualTo(".wav");
        assertThat(NoteTitle.fromFileName("\u0007.wav")).isNull();
        assertThat(NoteTitle.fromFileName("   ")).isNull();
        assertThat(NoteTitle.fromFileName(null)).isNull();
        String longest = NoteTitle.fromFileName("😀".repeat(300) + ".wav");
        assertThat(longest.codePointCount(0, longest.length())).isEqualTo(200);
    }

    @Test
    void aTypedTitleIsTrimmedAndRefusedWhenEmptyTooLongOrControlled() {
        assertThat(NoteTitle.checked("  Budget  ")).isEqualTo("Budget");
        assertThat(NoteTitle.checked("😀".repeat(200))).hasSize(400);
        for (String bad : new String[] {
            null, "", "   ", "x".repeat(201), "😀".repeat(201), "a\nb", "a\u0000", "a\u2029b", "a\ud800b", "\u009b"
        }) {
            assertThatThrownBy(() -> NoteTitle.checked(bad))
                    .as(String.valueOf(bad))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContainingAll("title");
        }
    }
}
