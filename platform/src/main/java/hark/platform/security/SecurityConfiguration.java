package hark.platform.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import reactor.core.publisher.Mono;

import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every web service checks tokens itself, resource-server style: nothing trusts a header a client
 * set. Everything under {@code /api} needs a valid token but sign-in and sign-up; health stays
 * open, the other actuator endpoints and {@code /api/admin} need the admin role; the browser
 * app's files are open so that its sign-in page can load.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ServerHttpSecurity.class)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain harkSecurity(ServerHttpSecurity http) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, and a SameSite=Strict cookie
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                // Stateless: every request carries its token. The default would look for a session
                // on each anonymous request (creating one off the request's thread), for nothing.
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(routes -> routes
                        .pathMatchers(HttpMethod.POST, "/api/auth/register", "/api/auth/login", "/api/auth/logout")
                        .permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .pathMatchers("/api/admin/**", "/actuator/**").hasRole("ADMIN")
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(headerOrCookie())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(SecurityConfiguration::withRoles))
                        .authenticationEntryPoint(JsonSecurityErrors.signInFirst())
                        .accessDeniedHandler(JsonSecurityErrors.notYours()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(JsonSecurityErrors.signInFirst())
                        .accessDeniedHandler(JsonSecurityErrors.notYours()))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties props) {
        NimbusReactiveJwtDecoder decoder = props.externalIssuer()
                ? NimbusReactiveJwtDecoder.withJwkSetUri(props.jwksUrl()).build()
                : NimbusReactiveJwtDecoder.withSecretKey(key(props)).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(props.issuer())));
        return decoder;
    }

    /** Signs Hark's own tokens (sign-in); with an external issuer there is nothing to sign. */
    @Bean
    JwtEncoder jwtEncoder(SecurityProperties props) {
        if (props.externalIssuer()) {
            return parameters -> {
                throw new IllegalStateException("Tokens are issued by " + props.jwksUrl() + ", not by Hark");
            };
        }
        return new NimbusJwtEncoder(new ImmutableSecret<>(key(props)));
    }

    static SecretKey key(SecurityProperties props) {
        if (props.jwtSecret() == null || props.jwtSecret().isBlank()) {
            throw new IllegalStateException("HARK_JWT_SECRET is not set: every service needs the same base64 key of "
                    + "32 bytes or more (for example: openssl rand -base64 32), or HARK_JWT_JWKS_URL for an external "
                    + "issuer. ./hark up generates one for you.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(props.jwtSecret().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("HARK_JWT_SECRET is not valid base64", e);
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("HARK_JWT_SECRET is too short: " + bytes.length
                    + " bytes; HS256 needs 32 or more");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** The header first (API clients), then the browser's HttpOnly cookie. */
    private static ServerAuthenticationConverter headerOrCookie() {
        ServerBearerTokenAuthenticationConverter header = new ServerBearerTokenAuthenticationConverter();
        return exchange -> header.convert(exchange).switchIfEmpty(Mono.defer(() -> {
            HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SecurityProperties.COOKIE);
            if (cookie == null || cookie.getValue().isBlank()) {
                return Mono.empty();
            }
            return Mono.just(new org.springframework.security.oauth2.server.resource.authentication
                    .BearerTokenAuthenticationToken(cookie.getValue()));
        }));
    }

    private static Mono<AbstractAuthenticationToken> withRoles(Jwt jwt) {
        Object claim = jwt.getClaims().get(SecurityProperties.ROLES_CLAIM);
        List<SimpleGrantedAuthority> roles = claim instanceof Collection<?> list
                ? list.stream().map(role -> new SimpleGrantedAuthority("ROLE_" + String.valueOf(role).toUpperCase()))
                .collect(Collectors.toList())
                : List.of();
        return Mono.just(new JwtAuthenticationToken(jwt, roles, jwt.getSubject()));
    }
}
