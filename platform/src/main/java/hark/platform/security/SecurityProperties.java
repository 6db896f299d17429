package hark.platform.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How callers prove who they are.
 *
 * @param jwtSecret    {@code HARK_JWT_SECRET}: base64 key (32 bytes or more) that signs and checks
 *                     Hark's own tokens; every service must have the same one. The local run
 *                     generates one and keeps it in its data folder.
 * @param jwksUrl      {@code HARK_JWT_JWKS_URL}: check tokens against an external issuer's keys
 *                     instead (accounts then live there, and Hark's sign-up is switched off)
 * @param issuer       the {@code iss} tokens must carry
 * @param tokenTtl     how long a token Hark issues is valid
 * @param audience     {@code HARK_JWT_AUDIENCE}: the {@code aud} an external issuer's tokens must
 *                     carry (required with {@code jwksUrl}: a token the issuer made for another
 *                     application must not open Hark)
 * @param cookieSecure send the token cookie over HTTPS only (on behind TLS; off for http://localhost)
 */
@ConfigurationProperties("hark.security")
public record SecurityProperties(
        String jwtSecret, String jwksUrl, String issuer, Duration tokenTtl, String audience, boolean cookieSecure) {

    public static final String COOKIE = "hark_token";
    public static final String ROLES_CLAIM = "roles";
    public static final String ADMIN = "admin";

    public boolean externalIssuer() {
        return jwksUrl != null && !jwksUrl.isBlank();
    }
}
