package hark.platform.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request signed in with an API key. The admin authority comes from the key's own marking, never
 * from its owner's role: an admin's ordinary key is a user's key.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKeyHolder holder;

    ApiKeyAuthentication(ApiKeyHolder holder) {
        super(authorities(holder));
        this.holder = holder;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(ApiKeyHolder holder) {
        return holder.admin()
                ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
    }

    /** Never the key: nothing here should ever print or keep it. */
    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public ApiKeyHolder getPrincipal() {
        return holder;
    }

    @Override
    public String getName() {
        return holder.username();
    }
}
