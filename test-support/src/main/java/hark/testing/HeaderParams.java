package hark.testing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code name=value} parameters after the first {@code ;} of a header such as
 * {@code Content-Type} or {@code Content-Disposition}. Values may be quoted, and a quoted value
 * may hold {@code ;} (file names do), so a plain split would not do.
 */
final class HeaderParams {

    private HeaderParams() {
    }

    /** Parameter names in lower case; values unquoted. */
    static Map<String, String> parse(String header) {
        Map<String, String> params = new HashMap<>();
        int pos = header.indexOf(';');
        while (pos >= 0 && pos < header.length()) {
            pos++; // past the ';'
            int eq = header.indexOf('=', pos);
            if (eq < 0) {
                break;
            }
            String name = header.substring(pos, eq).trim().toLowerCase(Locale.ROOT);
            String value;
            pos = eq + 1;
            while (pos < header.length() && header.charAt(pos) == ' ') {
                pos++;
            }
            if (pos < header.length() && header.charAt(pos) == '"') {
                StringBuilder quoted = new StringBuilder();
                pos++;
                while (pos < header.length() && header.charAt(pos) != '"') {
                    char c = header.charAt(pos);
                    if (c == '\\' && pos + 1 < header.length()) {
                        c = header.charAt(++pos);
                    }
                    quoted.append(c);
                    pos++;
                }
                value = quoted.toString();
                pos = header.indexOf(';', pos);
            } else {
                int end = header.indexOf(';', pos);
                value = header.substring(pos, end < 0 ? header.length() : end).trim();
                pos = end;
            }
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
