package hark.status.listing;

/** The first words of a transcript, for a line in the list. */
final class Preview {

    static final int MAX_LENGTH = 160;
    private static final String ELLIPSIS = "…";

    private Preview() {}

    /**
     * At most {@link #MAX_LENGTH} characters, whitespace run together, cut after a whole word with
     * "…" when the text goes on; null for no text.
     */
    static String of(String text) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) {
            return null;
        }
        if (flat.length() <= MAX_LENGTH) {
            return flat;
        }
        int end = MAX_LENGTH - ELLIPSIS.length();
        if (Character.isLowSurrogate(flat.charAt(end))) {
            end--; // never half a character
        }
        int space = flat.lastIndexOf(' ', end);
        // A text without spaces (Chinese, Japanese) is cut where the room ends.
        String cut = space > 0 ? flat.substring(0, space) : flat.substring(0, end);
        return cut.strip() + ELLIPSIS;
    }
}
