package hark.status.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    /** The original design's statuses, and cancelled, which Hark added with cancellation. */
    private static final Set<String> API_WORDS = Set.of("pending", "processing", "completed", "failed", "cancelled");

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void everyStatusHasAnApiWordOfTheDesignAndIsFoundByIt(JobStatus status) {
        assertThat(API_WORDS).contains(status.api());
        assertThat(JobStatus.ofApi(status.api())).contains(status);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void everyStatusIsReadBackFromItsDatabaseWord(JobStatus status) {
        assertThat(JobStatus.ofDb(status.db())).isSameAs(status);
    }

    @Test
    void apiWordsAreDistinctAndUnknownWordsAreRefused() {
        assertThat(Arrays.stream(JobStatus.values()).map(JobStatus::api)).doesNotHaveDuplicates();
        assertThat(JobStatus.ofApi("running")).isEmpty();
        assertThatThrownBy(() -> JobStatus.ofDb("running")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completedFailedAndCancelledEndAJob() {
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isFinal))
                .containsExactlyInAnyOrder(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);
    }
}
