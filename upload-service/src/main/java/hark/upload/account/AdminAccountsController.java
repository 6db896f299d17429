package hark.upload.account;

import hark.platform.web.ApiException;
import hark.schemas.PriorityChanged;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Accounts an admin makes, roles and priorities an admin grants ({@code /api/admin} needs the admin role):
 * with sign-up closed, this is how people get an account, and the only way to an admin role
 * besides the operator's own HARK_ADMIN_PASSWORD.
 */
@RestController
@RequestMapping("/api/admin/accounts")
public class AdminAccountsController {

    private final AccountRepository accounts;
    private final Accounts changes;

    public AdminAccountsController(AccountRepository accounts, Accounts changes) {
        this.accounts = accounts;
        this.changes = changes;
    }

    /** {@code admin} is optional: an account is not an admin unless said so. */
    public record NewAccount(String username, String password, Boolean admin) {

        boolean isAdmin() {
            return Boolean.TRUE.equals(admin);
        }
    }

    @ApiResponse(
            responseCode = "201",
            description = "The account is made.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.Account.class)))
    @ApiResponse(responseCode = "409", description = "The user name is taken.")
    @PostMapping
    public Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody NewAccount body) {
        String name = AccountRules.name(body.username());
        String password = AccountRules.password(body.password());
        return changes.hash(password)
                .flatMap(hash -> accounts.create(name, hash, body.isAdmin()))
                .flatMap(created -> created
                        ? Mono.just(ResponseEntity.status(HttpStatus.CREATED).body(answer(name, body.isAdmin())))
                        : Mono.error(new ApiException(HttpStatus.CONFLICT, "The user name " + name + " is taken")));
    }

    @ApiResponse(
            responseCode = "200",
            description = "The account is an admin now.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.Account.class)))
    @ApiResponse(responseCode = "404", description = "No such account.")
    @PutMapping("/{name}/admin")
    public Mono<Map<String, Object>> grant(@PathVariable String name) {
        return role(name, true);
    }

    /** Withdraws the role; every sign-in of the account ends within moments, in every service. */
    @ApiResponse(
            responseCode = "200",
            description = "The account is no admin now.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = AccountAnswers.Account.class)))
    @ApiResponse(responseCode = "404", description = "No such account.")
    @DeleteMapping("/{name}/admin")
    public Mono<Map<String, Object>> withdraw(@PathVariable String name) {
        return role(name, false);
    }

    /** {@code weight}: 1 (everyone's) to 10; see the README's "Fair scheduling". */
    public record Priority(Integer weight) {}

    /**
     * How much of the transcribe consumers the user gets while others wait too: a weight of 3
     * holds three to one of weight 1. Takes effect in the next dispatch round.
     */
    @ApiResponse(
            responseCode = "200",
            description = "The weight takes effect in the next dispatch round.",
            content =
                    @Content(
                            mediaType = "application/json",
                            schemaProperties = {
                                @SchemaProperty(name = "username", schema = @Schema(type = "string")),
                                @SchemaProperty(name = "priority", schema = @Schema(type = "integer"))
                            }))
    @ApiResponse(responseCode = "404", description = "No such account.")
    @PutMapping("/{name}/priority")
    public Mono<Map<String, Object>> prioritise(@PathVariable String name, @RequestBody Priority body) {
        if (body.weight() == null || body.weight() < 1 || body.weight() > PriorityChanged.MAX_WEIGHT) {
            return Mono.error(new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "weight must be a whole number from 1 (everyone's) to " + PriorityChanged.MAX_WEIGHT));
        }
        return changes.setPriority(name, body.weight())
                .map(account -> Map.<String, Object>of("username", account.username(), "priority", body.weight()))
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "No account " + name)));
    }

    private Mono<Map<String, Object>> role(String name, boolean admin) {
        return changes.setAdmin(name, admin)
                .map(account -> answer(account.username(), account.admin()))
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "No account " + name)));
    }

    private static Map<String, Object> answer(String name, boolean admin) {
        return Map.of("username", name, "admin", admin);
    }
}
