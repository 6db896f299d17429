package hark.platform.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.transcript.Subtitles.Cue;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitlesTest {

    @Test
    void timesHaveHoursMinutesSecondsAndMilliseconds() {
        assertThat(Subtitles.time(0, ',')).isEqualTo("00:00:00,000");
        assertThat(Subtitles.time(3725.5, ',')).isEqualTo("01:02:05,500");
        assertThat(Subtitles.time(3725.5, '.')).isEqualTo("01:02:05.500");
        assertThat(Subtitles.time(59.999, '.')).isEqualTo("00:00:59.999");
        // Hours keep counting rather than wrapping at a day or at 99.
        assertThat(Subtitles.time(100 * 3600 + 1, ',')).isEqualTo("100:00:01,000");
    }

    @Test
    void millisecondsAreRoundedToNearestAndCarryOver() {
        assertThat(Subtitles.time(1.2344, ',')).isEqualTo("00:00:01,234");
        assertThat(Subtitles.time(1.2346, ',')).isEqualTo("00:00:01,235");
        assertThat(Subtitles.time(59.9996, ',')).isEqualTo("00:01:00,000");
        assertThat(Subtitles.time(3599.9999, ',')).isEqualTo("01:00:00,000");
        // Float noise such as 0.1 + 0.2 must not show as ,299.
        assertThat(Subtitles.time(0.1 + 0.2, ',')).isEqualTo("00:00:00,300");
        assertThat(Subtitles.time(-0.01, ',')).isEqualTo("00:00:00,000");
    }

    @Test
    void srtNumbersCuesFromOneWithABlankLineBetween() {
        List<Cue> cues = List.of(new Cue(0, 0, 2.5, "Hello there."), new Cue(0, 2.5, 4, "General Kenobi."));

        assertThat(Subtitles.srt(cues)).isEqualTo("""
                1
                00:00:00,000 --> 00:00:02,500
                Hello there.

                2
                00:00:02,500 --> 00:00:04,000
                General Kenobi.
                """);
    }

    @Test
    void vttStartsWithItsHeaderAndUsesDots() {
        List<Cue> cues = List.of(new Cue(0, 0, 2.5, "Hello there."), new Cue(1, 3725.5, 3727, "Later."));

        assertThat(Subtitles.vtt(cues)).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:02.500
                Hello there.

                01:02:05.500 --> 01:02:07.000
                Later.
                """);
    }

    @Test
    void cuesFollowChunkOrderThenStartTime() {
        // The second chunk overlaps the first: its first cue starts before the first chunk's last one ends.
        List<Cue> cues = List.of(
                new Cue(1, 9.5, 12, "c"), new Cue(0, 5, 10, "b"), new Cue(1, 12, 14, "d"), new Cue(0, 0, 5, "a"));

        assertThat(Subtitles.srt(cues)).isEqualTo("""
                1
                00:00:00,000 --> 00:00:05,000
                a

                2
                00:00:05,000 --> 00:00:10,000
                b

                3
                00:00:09,500 --> 00:00:12,000
                c

                4
                00:00:12,000 --> 00:00:14,000
                d
                """);
    }

    @Test
    void noCuesGiveAnEmptySrtAndABareVtt() {
        assertThat(Subtitles.srt(List.of())).isEmpty();
        assertThat(Subtitles.vtt(List.of())).isEqualTo("WEBVTT\n");
    }

    @Test
    void blankCuesAreDroppedAndTheRestRenumbered() {
        List<Cue> cues = List.of(new Cue(0, 0, 1, "  "), new Cue(0, 1, 2, "words"), new Cue(0, 2, 3, null));

        assertThat(Subtitles.srt(cues)).isEqualTo("1\n00:00:01,000 --> 00:00:02,000\nwords\n");
    }

    @Test
    void textCannotEndACueEarlyOrBeReadAsMarkup() {
        List<Cue> cues = List.of(new Cue(0, 0, 1, "  first line\n\n\nsecond --> <b>&  "));

        assertThat(Subtitles.srt(cues)).isEqualTo("1\n00:00:00,000 --> 00:00:01,000\nfirst line\nsecond --> <b>&\n");
        assertThat(Subtitles.vtt(cues))
                .isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nfirst line\nsecond --&gt; &lt;b&gt;&amp;\n");
    }

    @Test
    void anEndBeforeItsStartBecomesAnInstant() {
        assertThat(Subtitles.srt(List.of(new Cue(0, 5, 4, "oops"))))
                .isEqualTo("1\n00:00:05,000 --> 00:00:05,000\noops\n");
    }
}
