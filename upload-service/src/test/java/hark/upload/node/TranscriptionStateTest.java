package hark.upload.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TranscriptionStateTest {

    /** The original design's statuses, and cancelled, which Hark added with cancellation. */
    private static final Set<String> API_WORDS = Set.of("pending", "processing", "completed", "failed", "cancelled");

    @ParameterizedTest
    @EnumSource(TranscriptionState.class)
    void everyStateHasAnApiWordOfTheDesign(TranscriptionState state) {
        assertThat(API_WORDS).contains(state.api());
    }

    @ParameterizedTest
    @EnumSource(TranscriptionState.class)
    void everyStateIsReadBackFromItsDatabaseWord(TranscriptionState state) {
        assertThat(TranscriptionState.ofDb(state.db())).isSameAs(state);
    }

    @Test
    void aRunningJobIsPendingAsFarAsTheUploadServiceKnows() {
        assertThat(TranscriptionState.RUNNING.api()).isEqualTo("pending");
    }

    @Test
    void databaseWordsAreDistinctAndNoneIsNull() {
        assertThat(Arrays.stream(TranscriptionState.values()).map(TranscriptionState::db))
                .doesNotHaveDuplicates()
                .doesNotContainNull();
        assertThat(TranscriptionState.ofDb(null)).isNull();
        assertThatThrownBy(() -> TranscriptionState.ofDb("pending")).isInstanceOf(IllegalArgumentException.class);
    }
}
