package hark.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Tokens as Hark's sign-in issues them, signed with the key every test service is given — and
 * the broken ones a test needs: expired, signed with another key.
 */
public final class TestTokens {

    private static final byte[] KEY = "hark-test-signing-key-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "another-key-nobody-at-hark-trusts!!".getBytes(StandardCharsets.UTF_8);

    /** The value of {@code HARK_JWT_SECRET} in tests. */
    public static final String SECRET = Base64.getEncoder().encodeToString(KEY);

    private TestTokens() {}

    public static String user(String name) {
        return sign(KEY, name, List.of("user"), Instant.now().plus(Duration.ofHours(1)));
    }

    public static String admin(String name) {
        return sign(KEY, name, List.of("user", "admin"), Instant.now().plus(Duration.ofHours(1)));
    }

    /** A user's token with its own id ({@code jti}) and account version ({@code ver}), as sign-in makes them. */
    public static String signedIn(String name, String id, int version) {
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("hark")
                .subject(name)
                .jwtID(id)
                .issueTime(Date.from(Instant.now()))
                .expirationTime(Date.from(expires))
                .claim("roles", List.of("user"))
                .claim("ver", version)
                .build();
        return sign(KEY, claims);
    }

    public static String expired(String name) {
        return sign(KEY, name, List.of("user"), Instant.now().minus(Duration.ofMinutes(5)));
    }

    public static String signedByAnotherKey(String name) {
        return sign(OTHER_KEY, name, List.of("user", "admin"), Instant.now().plus(Duration.ofHours(1)));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String sign(byte[] key, String name, List<String> roles, Instant expires) {
        return sign(
                key,
                new JWTClaimsSet.Builder()
                        .issuer("hark")
                        .subject(name)
                        .issueTime(Date.from(expires.minus(Duration.ofHours(2))))
                        .expirationTime(Date.from(expires))
                        .claim("roles", roles)
                        .build());
    }

    private static String sign(byte[] key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
