package hark.transcribe.engine.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;

import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.Transcript.Segment;
import org.junit.jupiter.api.Test;

/** Samples are what pocketsphinx_continuous 0.8 (Debian) printed with -time yes. */
class PocketsphinxOutputTest {

    @Test
    void oneUtteranceWithoutMarkersOrSilences() {
        Transcript transcript = PocketsphinxOutput.parse("""
                eight of spades for up close seven of hearts
                <s> 0.000 0.180 0.999600
                eight 0.190 0.390 0.206556
                of 0.400 0.500 0.946574
                spades 0.510 1.130 0.086476
                <sil> 1.140 1.180 0.503748
                for 1.190 1.530 0.950558
                up 1.540 1.630 0.076766
                close 1.640 2.150 0.693681
                <sil> 2.160 2.200 0.399314
                seven 2.210 2.620 0.036473
                of 2.630 2.720 0.729762
                hearts 2.730 3.250 0.367763
                </s> 3.260 3.480 1.000000

                """);

        assertThat(transcript.text()).isEqualTo("eight of spades for up close seven of hearts");
        assertThat(transcript.segments())
                .containsExactly(new Segment(0.19, 3.25, "eight of spades for up close seven of hearts"));
    }

    @Test
    void oneSegmentPerUtteranceWithTimesFromTheStartOfTheFile() {
        Transcript transcript = PocketsphinxOutput.parse("""
                eight of spades
                <s> 0.000 0.180 0.999600
                eight 0.190 0.390 0.206556
                of 0.400 0.500 0.946574
                spades 0.510 1.130 0.086476
                </s> 1.140 1.710 1.000000
                he might even
                <s> 5.390 5.480 0.999600
                <sil> 5.490 5.710 0.704519
                he 5.720 5.890 0.996107
                might 5.900 6.140 0.992031
                even 6.150 6.420 1.000000
                <sil> 6.430 6.550 0.845337
                </s> 6.560 7.260 1.000000
                """);

        assertThat(transcript.text()).isEqualTo("eight of spades he might even");
        assertThat(transcript.segments())
                .containsExactly(new Segment(0.19, 1.13, "eight of spades"), new Segment(5.72, 6.42, "he might even"));
    }

    @Test
    void alternatePronunciationMarkersAreRemoved() {
        Transcript transcript = PocketsphinxOutput.parse("""
                made a real boy i'm self taught
                <s> 1.000 1.310 0.999600
                made 1.320 1.670 0.999800
                a(2) 1.680 1.850 0.815606
                real 1.860 2.030 0.876415
                boy 2.040 2.290 0.947426
                i'm(2) 2.300 2.410 0.044750
                self 2.420 2.870 0.064447
                taught(12) 2.880 3.140 0.010620
                </s> 3.150 3.270 1.000000
                """);

        assertThat(transcript.text()).isEqualTo("made a real boy i'm self taught");
    }

    @Test
    void fillersAreDropped() {
        Transcript transcript = PocketsphinxOutput.parse("""
                the cat
                <s> 0.000 0.100 0.999600
                [NOISE] 0.110 0.400 0.900000
                the(2) 0.410 0.500 0.900000
                ++UH++ 0.510 0.700 0.900000
                [SPEECH] 0.710 0.900 0.900000
                cat 0.910 1.200 0.900000
                ++BREATH++ 1.210 1.400 0.900000
                (NULL) 1.410 1.420 1.000000
                </s> 1.430 1.500 1.000000
                """);

        assertThat(transcript.text()).isEqualTo("the cat");
        assertThat(transcript.segments()).containsExactly(new Segment(0.41, 1.2, "the cat"));
    }

    @Test
    void utterancesWithOnlyFillersGiveNoSegment() {
        // A tone: each burst is an empty hypothesis (a blank line) with a [SPEECH] filler.
        Transcript transcript = PocketsphinxOutput.parse("""

                <s> 0.000 0.610 0.999800
                </s> 0.620 0.650 1.000000

                <s> 1.880 2.090 0.999900
                [SPEECH] 2.100 2.730 1.000000
                </s> 2.740 2.760 1.000000
                """);

        assertThat(transcript.text()).isEmpty();
        assertThat(transcript.segments()).isEmpty();
    }

    @Test
    void sentenceStartSplitsUtterancesEvenWithoutAHypothesisLine() {
        Transcript transcript = PocketsphinxOutput.parse("""
                <s> 0.000 0.100 0.999600
                four 0.110 0.400 0.900000
                </s> 0.410 0.500 1.000000
                <s> 2.000 2.100 0.999600
                clubs 2.110 2.600 0.900000
                </s> 2.610 2.700 1.000000
                """);

        assertThat(transcript.segments()).extracting(Segment::text).containsExactly("four", "clubs");
    }

    @Test
    void aFourWordHypothesisIsNotTakenForAWord() {
        Transcript transcript = PocketsphinxOutput.parse("""
                seven of hearts again
                <s> 0.000 0.100 0.999600
                seven 0.110 0.400 0.900000
                of 0.410 0.500 0.900000
                hearts 0.510 0.900 0.900000
                again 0.910 1.300 0.900000
                </s> 1.310 1.400 1.000000
                """);

        assertThat(transcript.text()).isEqualTo("seven of hearts again");
        assertThat(transcript.segments()).hasSize(1);
    }

    @Test
    void windowsLineEndingsAndExtraSpacesAreTolerated() {
        Transcript transcript =
                PocketsphinxOutput.parse("spades\r\n<s>  0.000 0.100 0.99\r\n  spades 0.110 0.400 0.9 \r\n");

        assertThat(transcript.segments()).containsExactly(new Segment(0.11, 0.4, "spades"));
    }

    @Test
    void emptyOutputIsAnEmptyTranscript() {
        assertThat(PocketsphinxOutput.parse("").text()).isEmpty();
        assertThat(PocketsphinxOutput.parse("").segments()).isEmpty();
        assertThat(PocketsphinxOutput.parse("\n\n").segments()).isEmpty();
    }
}
