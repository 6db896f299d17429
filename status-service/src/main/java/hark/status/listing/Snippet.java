package hark.status.listing;

import java.util.ArrayList;
import java.util.List;

/**
 * The passage PostgreSQL's ts_headline picked, from its marked text into pieces. The marks are
 * control characters, which a transcript or title never holds (the query removes any), so no text
 * can pass for a mark, and the pieces are plain text for a page to show as such: never HTML.
 */
final class Snippet {

    static final char START = '\u0002';
    static final char STOP = '\u0003';
    /** ts_headline's options: the marks, and a passage of about a line. */
    static final String OPTIONS = "StartSel=" + START + ", StopSel=" + STOP + ", MaxWords=30, MinWords=12";

    private static final String ELLIPSIS = "…";
    /** How much of the document's beginning and end the query hands back, to tell a cut passage. */
    static final int EDGE = 60;

    private Snippet() {}

    /**
     * @param headline  ts_headline's answer, null when there is none
     * @param docStart  the searched text's first {@link #EDGE} characters (trimmed), to tell whether the
     *                  passage starts there; likewise {@code docEnd}
     */
    static List<SnippetPiece> of(String headline, String docStart, String docEnd) {
        if (headline == null) {
            return null;
        }
        List<SnippetPiece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean match = false;
        for (int i = 0; i < headline.length(); i++) {
            char c = headline.charAt(i);
            if (c == START || c == STOP) {
                add(pieces, text, match);
                match = c == START;
            } else {
                text.append(c);
            }
        }
        add(pieces, text, match);
        if (pieces.isEmpty()) {
            return pieces;
        }
        String plain = plain(pieces).strip();
        if (docStart != null && !docStart.strip().startsWith(head(plain))) {
            pieces.add(0, new SnippetPiece(ELLIPSIS, false));
        }
        if (docEnd != null && !docEnd.strip().endsWith(tail(plain))) {
            pieces.add(new SnippetPiece(ELLIPSIS, false));
        }
        return merged(pieces);
    }

    private static void add(List<SnippetPiece> pieces, StringBuilder text, boolean match) {
        if (text.length() > 0) {
            pieces.add(new SnippetPiece(text.toString(), match));
            text.setLength(0);
        }
    }

    private static String plain(List<SnippetPiece> pieces) {
        StringBuilder all = new StringBuilder();
        pieces.forEach(p -> all.append(p.text()));
        return all.toString();
    }

    private static String head(String plain) {
        return plain.substring(0, Math.min(plain.length(), EDGE / 2));
    }

    private static String tail(String plain) {
        return plain.substring(Math.max(0, plain.length() - EDGE / 2));
    }

    /** Neighbouring unmarked pieces as one (the ellipses join the text next to them). */
    private static List<SnippetPiece> merged(List<SnippetPiece> pieces) {
        List<SnippetPiece> out = new ArrayList<>();
        for (SnippetPiece piece : pieces) {
            int last = out.size() - 1;
            if (last >= 0 && !piece.match() && !out.get(last).match()) {
                out.set(last, new SnippetPiece(out.get(last).text() + piece.text(), false));
            } else {
                out.add(piece);
            }
        }
        return out;
    }
}
