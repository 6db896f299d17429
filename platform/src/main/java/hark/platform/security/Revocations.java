package hark.platform.security;

import hark.schemas.TokensRevoked;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The tokens this service no longer accepts, as a {@link hark.platform.kafka.TopicFeed} reads them
 * off {@link hark.schemas.Topics#AUTH_REVOCATIONS}:
 * single tokens that were signed out (until they would have expired anyway), and, per user, the
 * lowest token version still good (raised when a password changes or an admin role is withdrawn).
 */
public final class Revocations implements OAuth2TokenValidator<Jwt> {

    /** The claim with the account's token version when the token was signed. */
    public static final String VERSION_CLAIM = "ver";

    private static final OAuth2Error REVOKED = new OAuth2Error(
            "invalid_token",
            "This sign-in has ended (signed out, or the password or role changed): sign in again.",
            null);

    private final Map<String, Instant> signedOut = new ConcurrentHashMap<>();
    private final Map<String, Integer> minimumVersions = new ConcurrentHashMap<>();
    private final Clock clock;

    public Revocations(Clock clock) {
        this.clock = clock;
    }

    public void apply(TokensRevoked revocation) {
        if (revocation.tokenId() != null && revocation.tokenExpiresAt() != null) {
            signedOut.put(revocation.tokenId(), revocation.tokenExpiresAt());
            // Forgotten once they could no longer be used anyway, so the set stays as small as the live tokens.
            Instant now = clock.instant();
            signedOut.values().removeIf(expiry -> expiry.isBefore(now));
        }
        if (revocation.minimumVersion() > 0) {
            minimumVersions.merge(revocation.username(), revocation.minimumVersion(), Math::max);
        }
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return accepts(token) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(REVOKED);
    }

    boolean accepts(Jwt token) {
        if (token.getId() != null && signedOut.containsKey(token.getId())) {
            return false;
        }
        Integer minimum = minimumVersions.get(token.getSubject());
        if (minimum == null) {
            return true;
        }
        Object version = token.getClaims().get(VERSION_CLAIM);
        return version instanceof Number n && n.intValue() >= minimum;
    }
}
