package hark.upload.account;

/**
 * The shapes of the account endpoints' map answers, named once for the API description (the
 * controllers answer maps; these only say what the maps hold).
 */
final class AccountAnswers {

    private AccountAnswers() {}

    /** A sign-up or sign-in: the token, also set as the sign-in cookie. */
    record SignedIn(String token, String username) {}

    /** An account and whether it is an admin. */
    record Account(String username, boolean admin) {}
}
