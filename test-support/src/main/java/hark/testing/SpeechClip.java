package hark.testing;

/**
 * Real English recordings shipped in {@code speech/} (see the README there for source and
 * licence), with words the offline engine reliably hears in them.
 */
public enum SpeechClip {
    PRIMARY("eight-of-spades.wav", "eight of spades four of clubs seven of hearts", "spades", "clubs", "hearts"),
    // Sphinx hears the end of this one differently depending on the silence around it.
    SECOND("might-even-have-been.wav", "he might even have been made amiable himself", "might", "even");

    private final String file;
    private final String transcript;
    private final String[] keyWords;

    SpeechClip(String file, String transcript, String... keyWords) {
        this.file = file;
        this.transcript = transcript;
        this.keyWords = keyWords;
    }

    public String file() {
        return file;
    }

    /** What was actually said, from the recording's own transcript. */
    public String transcript() {
        return transcript;
    }

    public String[] keyWords() {
        return keyWords;
    }
}
