package hark.testing;

/**
 * Real English recordings shipped in {@code speech/} (see the README there for source and
 * licence), with words the offline engine reliably hears in them.
 */
public enum SpeechClip {
    PRIMARY("eight-of-spades.wav", "eight of spades four of clubs seven of hearts", "spades", "clubs", "hearts"),
    // After MP3 compression and a cut, Sphinx reliably keeps only "amiable" of this one.
    SECOND("might-even-have-been.wav", "he might even have been made amiable himself", "amiable");

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
