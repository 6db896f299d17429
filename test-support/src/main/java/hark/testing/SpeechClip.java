package hark.testing;

/**
 * Real English recordings shipped in {@code speech/} (see the README there for source and
 * licence), with words the offline engine reliably hears in them.
 */
public enum SpeechClip {
    PRIMARY("eight-of-spades.wav", "spades", "clubs", "hearts"),
    // After MP3 compression and a cut, Sphinx reliably keeps only "amiable" of this one.
    SECOND("might-even-have-been.wav", "amiable");

    private final String file;
    private final String[] keyWords;

    SpeechClip(String file, String... keyWords) {
        this.file = file;
        this.keyWords = keyWords;
    }

    public String file() {
        return file;
    }

    public String[] keyWords() {
        return keyWords;
    }
}
