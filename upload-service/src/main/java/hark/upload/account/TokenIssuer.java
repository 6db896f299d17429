package hark.upload.account;

import hark.platform.security.Revocations;
import hark.platform.security.SecurityProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/** Signs a person's token, and wraps it in the cookie the browser keeps. */
@Component
public class TokenIssuer {

    private final JwtEncoder encoder;
    private final SecurityProperties props;
    private final Clock clock = Clock.systemUTC();

    public TokenIssuer(JwtEncoder encoder, SecurityProperties props) {
        this.encoder = encoder;
        this.props = props;
    }

    /**
     * A token for the account as it is now: its role, and its token version, so that a later
     * password change or role withdrawal ends it ({@link Revocations}); its own id, so that
     * signing out ends just it.
     */
    public String tokenFor(Account account) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .id(UUID.randomUUID().toString())
                .issuer(props.issuer())
                .subject(account.username())
                .issuedAt(now)
                .expiresAt(now.plus(props.tokenTtl()))
                .claim(
                        SecurityProperties.ROLES_CLAIM,
                        account.admin() ? List.of("user", SecurityProperties.ADMIN) : List.of("user"))
                .claim(Revocations.VERSION_CLAIM, account.tokenVersion())
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /** HttpOnly so page scripts never see it; SameSite=Strict so other sites cannot send it. */
    public ResponseCookie cookie(String token) {
        return ResponseCookie.from(SecurityProperties.COOKIE, token)
                .httpOnly(true)
                .sameSite("Strict")
                .secure(props.cookieSecure())
                .path("/")
                .maxAge(props.tokenTtl())
                .build();
    }

    public ResponseCookie expiredCookie() {
        return ResponseCookie.from(SecurityProperties.COOKIE, "")
                .httpOnly(true)
                .sameSite("Strict")
                .secure(props.cookieSecure())
                .path("/")
                .maxAge(0)
                .build();
    }
}
