package hark.platform.security;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** 401 and 403 in the API's own {@code {"error": ...}} shape, with words a person can act on. */
final class JsonSecurityErrors {

    private JsonSecurityErrors() {}

    static ServerAuthenticationEntryPoint signInFirst() {
        return (exchange, denied) -> write(
                exchange,
                HttpStatus.UNAUTHORIZED,
                denied instanceof ApiKeyRefused refused
                        ? refused.getMessage()
                        : "Sign in first: this needs a valid token (Authorization: Bearer, or the sign-in cookie).");
    }

    static ServerAccessDeniedHandler notYours() {
        return (exchange, denied) -> write(exchange, HttpStatus.FORBIDDEN, "You are not allowed to do this.");
    }

    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String message) {
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        String json = "{\"error\":\"" + message.replace("\"", "\\\"") + "\"}";
        DataBuffer body = response.bufferFactory().wrap(json.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
