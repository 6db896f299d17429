package hark.transcribe.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LastSentenceTest {

    @Test
    void theLastSentenceIsWhatFollowsTheLastSentenceEnd() {
        assertThat(LastSentence.of("It rained. We stayed in! Did the river rise? It did, by a metre."))
                .isEqualTo("It did, by a metre.");
        assertThat(LastSentence.of("and then we walked on towards the")).isEqualTo("and then we walked on towards the");
        assertThat(LastSentence.of("Version 2.5 is out")).isEqualTo("Version 2.5 is out");
        assertThat(LastSentence.of("  ")).isEmpty();
        assertThat(LastSentence.of(null)).isEmpty();
    }

    @Test
    void aVeryLongSentenceKeepsItsEndFromAWordOn() {
        String sentence = "word ".repeat(200).strip();

        String end = LastSentence.of(sentence);

        assertThat(end.length()).isLessThanOrEqualTo(LastSentence.MOST);
        assertThat(sentence).endsWith(end);
        assertThat(end).startsWith("word");
    }
}
