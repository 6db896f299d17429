package hark.upload.account;

import hark.platform.security.Caller;
import hark.platform.security.SecurityProperties;
import hark.platform.web.ApiException;
import hark.upload.limits.RateLimits;
import hark.upload.limits.RateLimits.Limit;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Sign-up, sign-in, sign-out and a new password. Both sign-ins answer the token and also set it as
 * an HttpOnly cookie, so API clients use the header and the browser never has to handle the token.
 * Sign-in and sign-up are rate limited per client address and sign-in also per account name, so
 * that neither guessing nor bcrypt's cost can be turned against Hark.
 */
@RestController
@RequestMapping("/api/auth")
public class AuthController {

    // Compared against when the name is unknown, so that a wrong name takes as long as a wrong password.
    private static final Account NOBODY =
            new Account("", new BCryptPasswordEncoder().encode("no such account"), false, 0);

    private final AccountRepository accounts;
    private final Accounts changes;
    private final TokenIssuer tokens;
    private final SecurityProperties security;
    private final AccountProperties props;
    private final RateLimits limits;

    public AuthController(
            AccountRepository accounts,
            Accounts changes,
            TokenIssuer tokens,
            SecurityProperties security,
            AccountProperties props,
            RateLimits limits) {
        this.accounts = accounts;
        this.changes = changes;
        this.tokens = tokens;
        this.security = security;
        this.props = props;
        this.limits = limits;
    }

    @ApiResponse(
            responseCode = "201",
            description = "Signed up and signed in: the token, also set as the sign-in cookie.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.SignedIn.class)))
    @ApiResponse(responseCode = "403", description = "Sign-up is closed here.")
    @ApiResponse(responseCode = "404", description = "Accounts are managed by an external issuer.")
    @ApiResponse(responseCode = "409", description = "The user name is taken.")
    @ApiResponse(responseCode = "429", description = "Too many new accounts from this address; see Retry-After.")
    @PostMapping("/register")
    public Mono<ResponseEntity<Map<String, String>>> register(
            @RequestBody Credentials body, ServerHttpRequest request) {
        if (security.externalIssuer()) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Accounts are managed by " + security.jwksUrl()));
        }
        if (!props.signupOpen()) {
            return Mono.error(new ApiException(
                    HttpStatus.FORBIDDEN, "Sign-up is closed here: ask an admin of this Hark for an account"));
        }
        String name = AccountRules.name(body.username());
        String password = AccountRules.password(body.password());
        return limits.take(
                        "sign-up/address/" + address(request),
                        Limit.perHour(props.signUpsPerHour()),
                        wait -> "Too many new accounts from your address: try again in " + ApiException.inWords(wait)
                                + ".")
                .then(
                        name.equalsIgnoreCase(props.adminName())
                                ? Mono.just(false)
                                : changes.hash(password).flatMap(hash -> accounts.create(name, hash, false)))
                .flatMap(created -> created
                        ? accounts.find(name).map(account -> signedIn(HttpStatus.CREATED, account))
                        : Mono.error(new ApiException(HttpStatus.CONFLICT, "The user name " + name + " is taken")));
    }

    @ApiResponse(
            responseCode = "200",
            description = "Signed in: the token, also set as the sign-in cookie.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.SignedIn.class)))
    @ApiResponse(responseCode = "401", description = "Wrong user name or password.")
    @ApiResponse(responseCode = "404", description = "Sign-in happens at an external issuer.")
    @ApiResponse(responseCode = "429", description = "Too many sign-in tries; see Retry-After.")
    @PostMapping("/login")
    public Mono<ResponseEntity<Map<String, String>>> login(@RequestBody Credentials body, ServerHttpRequest request) {
        if (security.externalIssuer()) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Sign in at " + security.jwksUrl()));
        }
        String name = body.username() == null ? "" : body.username().strip();
        String password = body.password() == null ? "" : body.password();
        Limit limit = Limit.perMinute(props.signInPerMinute());
        // A name no account can have costs the same as any other: it is looked up, and bcrypt runs.
        String nameKey = name.length() <= 32 ? name.toLowerCase(Locale.ROOT) : name.substring(0, 32);
        return limits.take("sign-in/address/" + address(request), limit, AuthController::tooManySignIns)
                .then(limits.take("sign-in/name/" + nameKey, limit, AuthController::tooManySignIns))
                .then(accounts.find(name).defaultIfEmpty(NOBODY))
                .flatMap(account -> changes.matches(password, account.passwordHash())
                        .filter(ok -> ok && account != NOBODY)
                        .map(ok -> signedIn(HttpStatus.OK, account)))
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "Wrong user name or password")));
    }

    /** Ends this sign-in everywhere (the token is refused from now on) and clears the cookie. */
    @ApiResponse(
            responseCode = "204",
            description = "Signed out: this token is refused from now on, and the cookie is cleared.",
            content = @Content)
    @PostMapping("/logout")
    public Mono<ResponseEntity<Void>> logout() {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication().getPrincipal())
                .filter(Jwt.class::isInstance)
                .cast(Jwt.class)
                .filter(jwt -> jwt.getId() != null && jwt.getExpiresAt() != null)
                .flatMap(jwt -> changes.signOut(jwt.getSubject(), jwt.getId(), jwt.getExpiresAt()))
                .then(Mono.fromSupplier(() -> ResponseEntity.noContent()
                        .header(HttpHeaders.SET_COOKIE, tokens.expiredCookie().toString())
                        .<Void>build()));
    }

    /** A new password: every other sign-in of the account ends; the answer is a new token. */
    @ApiResponse(
            responseCode = "200",
            description = "The password is changed; other sign-ins end. A new token.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.SignedIn.class)))
    @ApiResponse(responseCode = "403", description = "The current password is wrong.")
    @PostMapping("/password")
    public Mono<ResponseEntity<Map<String, String>>> changePassword(@RequestBody PasswordChange body) {
        String fresh = AccountRules.password(body.newPassword());
        String current = body.currentPassword() == null ? "" : body.currentPassword();
        return Caller.current()
                .flatMap(caller -> accounts.find(caller.userId()))
                .filterWhen(account -> changes.matches(current, account.passwordHash()))
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.FORBIDDEN, "The current password is wrong")))
                .flatMap(account -> changes.changePassword(account.username(), fresh))
                .map(account -> signedIn(HttpStatus.OK, account));
    }

    /**
     * Erases the caller's account and everything they gave Hark (see the README's "Erasure"); the
     * password is asked again, as a stolen sign-in must not be enough. 204 at once; the name is
     * taken until every service is done.
     */
    @ApiResponse(
            responseCode = "204",
            description = "The account and everything in it are being erased.",
            content = @Content)
    @ApiResponse(responseCode = "403", description = "The password is wrong.")
    @DeleteMapping("/me")
    public Mono<ResponseEntity<Void>> eraseAccount(@RequestBody(required = false) Map<String, String> body) {
        String password = body == null || body.get("password") == null ? "" : body.get("password");
        return Caller.current()
                .flatMap(caller -> accounts.find(caller.userId()))
                .filterWhen(account -> changes.matches(password, account.passwordHash()))
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN,
                        "The password is wrong: give your current password to erase your account")))
                .flatMap(account -> changes.erase(account.username()))
                .then(Mono.fromSupplier(() -> ResponseEntity.noContent()
                        .header(HttpHeaders.SET_COOKIE, tokens.expiredCookie().toString())
                        .<Void>build()));
    }

    /** Who the token belongs to, so the page knows whether to show the sign-in form. */
    @ApiResponse(
            responseCode = "200",
            description = "Who the token or key belongs to.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.Account.class)))
    @GetMapping("/me")
    public Mono<Map<String, Object>> me() {
        return Caller.current().map(caller -> Map.of("username", caller.userId(), "admin", caller.admin()));
    }

    private ResponseEntity<Map<String, String>> signedIn(HttpStatus status, Account account) {
        String token = tokens.tokenFor(account);
        return ResponseEntity.status(status)
                .header(HttpHeaders.SET_COOKIE, tokens.cookie(token).toString())
                .body(Map.of("token", token, "username", account.username()));
    }

    /** The client's address as this service sees it (behind the edge: the one the edge forwarded). */
    private static String address(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null
                ? "unknown"
                : remote.getAddress().getHostAddress();
    }

    private static String tooManySignIns(Duration wait) {
        return "Too many sign-in tries: try again in " + ApiException.inWords(wait) + ".";
    }
}
