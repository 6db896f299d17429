package hark.platform.security;

import org.springframework.security.core.AuthenticationException;

/** A bearer value meant as an API key that opens nothing; its message is the 401's. */
final class ApiKeyRefused extends AuthenticationException {

    ApiKeyRefused(String message) {
        super(message);
    }
}
