package hark.platform.security;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Checks a bearer value: an API key ({@code hark_...}) against the keys this service knows,
 * anything else as a token by {@code tokens}. So a key is accepted exactly where a token is.
 */
final class ApiKeyAuthenticationManager implements ReactiveAuthenticationManager {

    static final String MALFORMED = "This API key is malformed: a Hark API key is hark_ followed by 43 letters,"
            + " digits, - or _, exactly as POST /api/auth/keys answered it.";
    static final String UNKNOWN =
            "This API key is not valid: it was revoked, or never issued here. Make a new one (POST /api/auth/keys).";

    private final ApiKeys keys;
    private final ApiKeyUses uses;
    private final ReactiveAuthenticationManager tokens;

    ApiKeyAuthenticationManager(ApiKeys keys, ApiKeyUses uses, ReactiveAuthenticationManager tokens) {
        this.keys = keys;
        this.uses = uses;
        this.tokens = tokens;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)
                || !ApiKeyFormat.looksLikeKey(bearer.getToken())) {
            return tokens.authenticate(authentication);
        }
        String key = bearer.getToken();
        if (!ApiKeyFormat.wellFormed(key)) {
            return Mono.error(new ApiKeyRefused(MALFORMED));
        }
        return Mono.defer(() -> keys.holderOf(key)
                .<Mono<Authentication>>map(holder -> {
                    uses.used(holder);
                    return Mono.just(new ApiKeyAuthentication(holder));
                })
                .orElseGet(() -> Mono.error(new ApiKeyRefused(UNKNOWN))));
    }
}
