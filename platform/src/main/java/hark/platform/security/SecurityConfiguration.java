package hark.platform.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import hark.platform.kafka.TopicFeed;
import hark.platform.startup.ConfigurationMistake;
import hark.schemas.ApiKeyChanged;
import hark.schemas.TokensRevoked;
import hark.schemas.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.filter.OrderedWebFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.filter.reactive.UrlHandlerFilter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every web service checks tokens itself, resource-server style: nothing trusts a header a client
 * set. Everything under {@code /api} needs a valid token (or API key: {@link ApiKeyAuthenticationManager})
 * but sign-in, sign-up and the API's description; health stays
 * open, the other actuator endpoints and {@code /api/admin} need the admin role; the browser
 * app's files are open so that its sign-in page can load.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ServerHttpSecurity.class)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    /**
     * What every page and API answer may do in a browser: its own scripts, styles and media only,
     * no framing, no plugins. Served audio gets a stricter policy of its own (a sandbox).
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The API calls anyone may make without a token: sign-up, sign-in, sign-out. */
    public static final List<String> OPEN_POSTS = List.of("/api/auth/register", "/api/auth/login", "/api/auth/logout");

    /**
     * The API's description (the whole at {@code /api/openapi.json}, each service's part under
     * {@code /api/openapi/}): a program reads it before it has a key.
     */
    public static final List<String> OPEN_GETS = List.of("/api/openapi.json", "/api/openapi/**");

    @Bean
    SecurityWebFilterChain harkSecurity(
            ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder, ApiKeys apiKeys, ApiKeyUses apiKeyUses) {
        JwtReactiveAuthenticationManager tokens = new JwtReactiveAuthenticationManager(jwtDecoder);
        tokens.setJwtAuthenticationConverter(SecurityConfiguration::withRoles);
        ReactiveAuthenticationManager tokensOrKeys = new ApiKeyAuthenticationManager(apiKeys, apiKeyUses, tokens);
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, and a SameSite=Strict cookie
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                // Stateless: every request carries its token. The default would look for a session
                // on each anonymous request (creating one off the request's thread), for nothing.
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .authorizeExchange(routes -> routes.pathMatchers(HttpMethod.POST, OPEN_POSTS.toArray(String[]::new))
                        .permitAll()
                        .pathMatchers(HttpMethod.GET, OPEN_GETS.toArray(String[]::new))
                        .permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .pathMatchers("/api/admin/**", "/actuator/**")
                        .hasRole("ADMIN")
                        .pathMatchers("/api/**")
                        .authenticated()
                        .anyExchange()
                        .permitAll())
                .oauth2ResourceServer(server -> server.bearerTokenConverter(headerOrCookie())
                        .jwt(jwt -> jwt.authenticationManager(tokensOrKeys))
                        .authenticationEntryPoint(JsonSecurityErrors.signInFirst())
                        .accessDeniedHandler(JsonSecurityErrors.notYours()))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(JsonSecurityErrors.signInFirst())
                        .accessDeniedHandler(JsonSecurityErrors.notYours()))
                .build();
    }

    /**
     * Every {@code /api} path answers the same with or without one trailing slash (the original
     * design's page posts to {@code /api/nodes/}). Runs before security, so the rules above see
     * the path without it.
     */
    @Bean
    OrderedWebFilter trailingSlashes() {
        UrlHandlerFilter filter =
                UrlHandlerFilter.trailingSlashHandler("/api/**").mutateRequest().build();
        return new OrderedWebFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
                return filter.filter(exchange, chain);
            }

            @Override
            public int getOrder() {
                return Ordered.HIGHEST_PRECEDENCE;
            }
        };
    }

    @Bean
    Revocations revocations() {
        return new Revocations(Clock.systemUTC());
    }

    /** Every instance of every web service needs every revocation, so each reads the topic whole. */
    @Bean
    TopicFeed<TokensRevoked> revocationFeed(ConsumerFactory<String, byte[]> consumers, Revocations revocations) {
        return new TopicFeed<>(
                consumers, Topics.AUTH_REVOCATIONS, TokensRevoked.class, revocations::apply, "revocation-feed");
    }

    @Bean
    ApiKeys apiKeys() {
        return new ApiKeys();
    }

    @Bean
    ApiKeyUses apiKeyUses(KafkaTemplate<String, byte[]> kafka) {
        return new ApiKeyUses(kafka, Clock.systemUTC());
    }

    /** Every instance of every web service accepts every live key, so each reads the topic whole. */
    @Bean
    TopicFeed<ApiKeyChanged> apiKeyFeed(ConsumerFactory<String, byte[]> consumers, ApiKeys keys, ApiKeyUses uses) {
        return new TopicFeed<>(
                consumers,
                Topics.AUTH_API_KEYS,
                ApiKeyChanged.class,
                change -> {
                    keys.apply(change);
                    if (change.revoked()) {
                        uses.forget(change.keyId());
                    }
                },
                "api-key-feed");
    }

    /**
     * Keys live until revoked, so their topic is compacted by key id, never expired: it keeps each
     * key's last record. Declared by every web service, so each finds the topic it follows whichever
     * starts first. No dead-letter topics: no consumer group reads these.
     */
    @Bean
    KafkaAdmin.NewTopics apiKeyTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.AUTH_API_KEYS).partitions(1).compact().build(),
                TopicBuilder.name(Topics.AUTH_API_KEY_USES)
                        .partitions(1)
                        .compact()
                        .build());
    }

    /** One partition keeps each user's revocations in order; kept as long as a token can live. */
    @Bean
    KafkaAdmin.NewTopics revocationTopic(SecurityProperties props) {
        long keep = props.tokenTtl().plusDays(1).toMillis();
        return new KafkaAdmin.NewTopics(TopicBuilder.name(Topics.AUTH_REVOCATIONS)
                .partitions(1)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep))
                .build());
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties props, Revocations revocations) {
        NimbusReactiveJwtDecoder decoder = props.externalIssuer()
                ? NimbusReactiveJwtDecoder.withJwkSetUri(props.jwksUrl()).build()
                : NimbusReactiveJwtDecoder.withSecretKey(key(props))
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(JwtValidators.createDefaultWithIssuer(props.issuer()));
        validators.add(revocations);
        if (props.externalIssuer()) {
            validators.add(new JwtClaimValidator<List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience(props))));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static String audience(SecurityProperties props) {
        if (props.audience() == null || props.audience().isBlank()) {
            throw new ConfigurationMistake("HARK_JWT_AUDIENCE is not set: with an external issuer "
                    + "(HARK_JWT_JWKS_URL) Hark accepts only tokens made for it; set the audience ('aud') "
                    + "that issuer puts in Hark's tokens.");
        }
        return props.audience().strip();
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
            throw new ConfigurationMistake("HARK_JWT_SECRET is not set: every service needs the same base64 key of "
                    + "32 bytes or more (for example: openssl rand -base64 32), or HARK_JWT_JWKS_URL for an external "
                    + "issuer. ./hark up generates one for you.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(props.jwtSecret().strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationMistake("HARK_JWT_SECRET is not valid base64", e);
        }
        if (bytes.length < 32) {
            throw new ConfigurationMistake(
                    "HARK_JWT_SECRET is too short: " + bytes.length + " bytes; HS256 needs 32 or more");
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
            return Mono.just(
                    new org.springframework.security.oauth2.server.resource.authentication
                            .BearerTokenAuthenticationToken(cookie.getValue()));
        }));
    }

    private static Mono<AbstractAuthenticationToken> withRoles(Jwt jwt) {
        Object claim = jwt.getClaims().get(SecurityProperties.ROLES_CLAIM);
        List<SimpleGrantedAuthority> roles = claim instanceof Collection<?> list
                ? list.stream()
                        .map(role -> new SimpleGrantedAuthority(
                                "ROLE_" + String.valueOf(role).toUpperCase()))
                        .collect(Collectors.toList())
                : List.of();
        return Mono.just(new JwtAuthenticationToken(jwt, roles, jwt.getSubject()));
    }
}
