package hark.upload.account;

import hark.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** What a user name and a password must be, and the words that say so. */
final class AccountRules {

    private static final String NAME_RULE = "[A-Za-z0-9._-]{3,32}";
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 72; // bcrypt reads no further

    private AccountRules() {}

    static String name(String value) {
        String name = value == null ? "" : value.strip();
        if (!name.matches(NAME_RULE)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "A user name has 3 to 32 letters, digits, dots, dashes or underscores");
        }
        return name;
    }

    static String password(String value) {
        String password = value == null ? "" : value;
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "A password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        return password;
    }
}
