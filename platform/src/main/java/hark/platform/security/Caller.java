package hark.platform.security;

import java.util.Collection;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/** Who is asking: the token's subject, and whether it may see everyone's nodes. */
public record Caller(String userId, boolean admin) {

    /** The caller of the current request; every {@code /api} route but sign-in has one. */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication().getPrincipal())
                .filter(Jwt.class::isInstance)
                .cast(Jwt.class)
                .map(jwt -> new Caller(jwt.getSubject(), hasAdminRole(jwt)));
    }

    public boolean mayRead(String ownerId) {
        return admin || userId.equals(ownerId);
    }

    private static boolean hasAdminRole(Jwt jwt) {
        Object roles = jwt.getClaims().get(SecurityProperties.ROLES_CLAIM);
        return roles instanceof Collection<?> list && list.contains(SecurityProperties.ADMIN);
    }
}
