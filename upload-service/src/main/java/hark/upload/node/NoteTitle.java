package hark.upload.node;

import hark.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * What a note's title may be: trimmed, 1 to 200 characters, and nothing a page or a log would show
 * as other than text. Control characters are refused (a NUL would also fail the database insert),
 * and so are line and paragraph separators and unpaired surrogates, which no text contains.
 */
public final class NoteTitle {

    public static final int MAX_LENGTH = 200;

    private NoteTitle() {}

    /** The title a person typed, trimmed; a 400 that says what is wrong with it otherwise. */
    public static String checked(String value) {
        if (value == null) {
            throw refused("A title is needed: send it as \"title\"");
        }
        String title = value.strip();
        if (title.isEmpty()) {
            throw refused("The title is empty; give the note a name of at least one character");
        }
        if (title.codePointCount(0, title.length()) > MAX_LENGTH) {
            throw refused("The title is too long: at most " + MAX_LENGTH + " characters");
        }
        if (title.codePoints().anyMatch(NoteTitle::forbidden)) {
            throw refused("The title may not contain control characters such as line breaks or tabs");
        }
        return title;
    }

    /**
     * The title an upload without one gets: its file name without folders and extension
     * ("Team meeting.m4a" → "Team meeting"), anything a title may not hold replaced by spaces, cut
     * to the longest a title may be. Null when nothing is left.
     */
    public static String fromFileName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(c -> clean.appendCodePoint(forbidden(c) ? ' ' : c));
        String title = clean.toString().replaceAll("\\s+", " ").strip();
        if (title.codePointCount(0, title.length()) > MAX_LENGTH) {
            title = title.substring(0, title.offsetByCodePoints(0, MAX_LENGTH)).strip();
        }
        return title.isEmpty() ? null : title;
    }

    private static boolean forbidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    private static ApiException refused(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }
}
