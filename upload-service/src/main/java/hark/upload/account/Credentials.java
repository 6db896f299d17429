package hark.upload.account;

/** The body of sign-up and sign-in. */
public record Credentials(String username, String password) {}
