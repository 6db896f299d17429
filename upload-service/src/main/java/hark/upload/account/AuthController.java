package hark.upload.account;

import hark.platform.security.Caller;
import hark.platform.security.SecurityProperties;
import hark.platform.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Map;

/**
 * Sign-up, sign-in and sign-out. Both sign-ins answer the token and also set it as an HttpOnly
 * cookie, so API clients use the header and the browser never has to handle the token.
 */
@RestController
@RequestMapping("/api/auth")
public class AuthController {

    private static final String NAME_RULE = "[A-Za-z0-9._-]{3,32}";
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 72; // bcrypt reads no further
    // Compared against when the name is unknown, so that a wrong name takes as long as a wrong password.
    private static final String NOBODY = new BCryptPasswordEncoder().encode("no such account");

    private final AccountRepository accounts;
    private final TokenIssuer tokens;
    private final SecurityProperties props;
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder();

    public AuthController(AccountRepository accounts, TokenIssuer tokens, SecurityProperties props) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.props = props;
    }

    @PostMapping("/register")
    public Mono<ResponseEntity<Map<String, String>>> register(@RequestBody Credentials body) {
        if (props.externalIssuer()) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Accounts are managed by " + props.jwksUrl()));
        }
        String name = body.username() == null ? "" : body.username().strip();
        if (!name.matches(NAME_RULE)) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST,
                    "A user name has 3 to 32 letters, digits, dots, dashes or underscores"));
        }
        String password = body.password() == null ? "" : body.password();
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST,
                    "A password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters"));
        }
        return Mono.fromCallable(() -> passwords.encode(password)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(hash -> accounts.create(name, hash))
                .flatMap(created -> created ? Mono.just(signedIn(HttpStatus.CREATED, name))
                        : Mono.error(new ApiException(HttpStatus.CONFLICT, "The user name " + name + " is taken")));
    }

    @PostMapping("/login")
    public Mono<ResponseEntity<Map<String, String>>> login(@RequestBody Credentials body) {
        if (props.externalIssuer()) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Sign in at " + props.jwksUrl()));
        }
        String name = body.username() == null ? "" : body.username().strip();
        String password = body.password() == null ? "" : body.password();
        return accounts.passwordHash(name).defaultIfEmpty(NOBODY)
                .publishOn(Schedulers.boundedElastic())
                .map(hash -> passwords.matches(password, hash) && !hash.equals(NOBODY))
                .flatMap(ok -> ok ? Mono.just(signedIn(HttpStatus.OK, name))
                        : Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "Wrong user name or password")));
    }

    @PostMapping("/logout")
    public ResponseEntity<Void> logout() {
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, tokens.expiredCookie().toString()).build();
    }

    /** Who the token belongs to, so the page knows whether to show the sign-in form. */
    @GetMapping("/me")
    public Mono<Map<String, Object>> me() {
        return Caller.current().map(caller -> Map.of("username", caller.userId(), "admin", caller.admin()));
    }

    private ResponseEntity<Map<String, String>> signedIn(HttpStatus status, String name) {
        String token = tokens.tokenFor(name);
        return ResponseEntity.status(status).header(HttpHeaders.SET_COOKIE, tokens.cookie(token).toString())
                .body(Map.of("token", token, "username", name));
    }
}
