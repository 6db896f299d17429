package hark.upload.account;

import hark.platform.security.SecurityProperties;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

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

    public String tokenFor(String username) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(props.issuer())
                .subject(username)
                .issuedAt(now)
                .expiresAt(now.plus(props.tokenTtl()))
                .claim(SecurityProperties.ROLES_CLAIM,
                        props.isAdmin(username) ? List.of("user", SecurityProperties.ADMIN) : List.of("user"))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /** HttpOnly so page scripts never see it; SameSite=Strict so other sites cannot send it. */
    public ResponseCookie cookie(String token) {
        return ResponseCookie.from(SecurityProperties.COOKIE, token).httpOnly(true).sameSite("Strict")
                .secure(props.cookieSecure()).path("/").maxAge(props.tokenTtl()).build();
    }

    public ResponseCookie expiredCookie() {
        return ResponseCookie.from(SecurityProperties.COOKIE, "").httpOnly(true).sameSite("Strict")
                .secure(props.cookieSecure()).path("/").maxAge(0).build();
    }
}
