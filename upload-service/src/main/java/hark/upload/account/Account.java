package hark.upload.account;

/** An account as stored: the password only as a bcrypt hash. */
public record Account(String username, String passwordHash, boolean admin, int tokenVersion) {}
