package hark.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What an API key looks like: {@code hark_} and 32 random bytes in unpadded base64url (43
 * characters). The prefix tells a key from a sign-in token at a glance, and lets secret scanners
 * recognise a leaked one.
 *
 * <p>Only {@link #hash} of a key is ever kept or sent anywhere. SHA-256 rather than bcrypt on
 * purpose: bcrypt's cost protects secrets a person chose, which are few enough to guess; 256 random
 * bits cannot be guessed at any hashing speed. A fast, unsalted hash also lets a service find the
 * key by its hash in a map, so no secret is ever compared byte by byte (no timing to measure), and
 * keeps checking a key as cheap as checking a token: bcrypt on every request would hand anyone who
 * sends keys a way to burn the CPU.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "hark_";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern WELL_FORMED = Pattern.compile("hark_[A-Za-z0-9_-]{43}");

    private ApiKeyFormat() {}

    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A bearer value meant as a key, well formed or not (a JWT never starts so). */
    public static boolean looksLikeKey(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    public static boolean wellFormed(String key) {
        return WELL_FORMED.matcher(key).matches();
    }

    /** Lowercase hex SHA-256 of the whole key, prefix included. */
    public static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }
}
