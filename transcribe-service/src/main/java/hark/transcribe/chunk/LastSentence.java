package hark.transcribe.chunk;

/** The end of a text that is passed on as the context of what follows it. */
final class LastSentence {

    /** Whisper reads at most about 220 tokens of context; a sentence rarely needs more than this. */
    static final int MOST = 300;

    private LastSentence() {}

    /**
     * The last sentence of {@code text}: what follows the last full stop, question or exclamation
     * mark before its final character; the whole text when it has none. Cut to its last
     * {@value #MOST} characters, at a space, when longer.
     */
    static String of(String text) {
        String t = text == null ? "" : text.strip();
        int start = 0;
        for (int i = t.length() - 2; i >= 0; i--) {
            char c = t.charAt(i);
            if ((c == '.' || c == '?' || c == '!') && Character.isWhitespace(t.charAt(i + 1))) {
                start = i + 1;
                break;
            }
        }
        String sentence = t.substring(start).strip();
        if (sentence.length() <= MOST) {
            return sentence;
        }
        String tail = sentence.substring(sentence.length() - MOST);
        int space = tail.indexOf(' ');
        return space < 0 ? tail : tail.substring(space + 1);
    }
}
