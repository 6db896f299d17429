package hark.platform.security;

import java.util.Collection;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/** Who is asking: the token's (or API key's) user, and whether it may see everyone's nodes. */
public record Caller(String userId, boolean admin) {

    /** The caller of the current request; every {@code /api} route but sign-in has one. */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication().getPrincipal())
                .flatMap(principal -> {
                    if (principal instanceof Jwt jwt) {
                        return Mono.just(new Caller(jwt.getSubject(), hasAdminRole(jwt)));
                    }
                    // Admin only as the key was marked, whatever its owner's role.
                    if (principal instanceof ApiKeyHolder key) {
                        return Mono.just(new Caller(key.username(), key.admin()));
                    }
                    return Mono.empty();
                });
    }

    /** Whether this request came with an API key rather than a sign-in. */
    public static Mono<Boolean> withApiKey() {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication() instanceof ApiKeyAuthentication)
                .defaultIfEmpty(false);
    }

    public boolean mayRead(String ownerId) {
        return admin || userId.equals(ownerId);
    }

    private static boolean hasAdminRole(Jwt jwt) {
        Object roles = jwt.getClaims().get(SecurityProperties.ROLES_CLAIM);
        return roles instanceof Collection<?> list && list.contains(SecurityProperties.ADMIN);
    }
}
