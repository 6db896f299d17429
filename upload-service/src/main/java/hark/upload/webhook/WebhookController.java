package hark.upload.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import hark.platform.security.Caller;
import hark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A user's webhooks: their signing secret (shown once), their default callback, and the calls made. */
@RestController
@RequestMapping("/api/webhooks")
public class WebhookController {

    private static final int LISTED = 100;

    private final WebhookSettings settings;
    private final WebhookDeliveries deliveries;
    private final CallbackUrls callbackUrls;

    public WebhookController(WebhookSettings settings, WebhookDeliveries deliveries, CallbackUrls callbackUrls) {
        this.settings = settings;
        this.deliveries = deliveries;
        this.callbackUrls = callbackUrls;
    }

    /**
     * A new signing secret, replacing the last: this answer is the only place it is shown. Not with
     * an API key, as for keys themselves: whoever holds the secret can forge calls the user's
     * receiver trusts, so a stolen key must not be able to mint one.
     */
    @ApiResponse(
            responseCode = "201",
            description = "The signing secret, shown this once; any earlier secret stops signing at once.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Secret.class)))
    @ApiResponse(responseCode = "403", description = "Secrets are made while signed in, not with an API key.")
    @PostMapping("/secret")
    public Mono<ResponseEntity<Secret>> newSecret() {
        return signedIn()
                .flatMap(caller -> settings.newSecret(caller.userId()))
                .map(secret -> ResponseEntity.status(HttpStatus.CREATED)
                        .cacheControl(CacheControl.noStore())
                        .body(new Secret(secret)));
    }

    @GetMapping("/settings")
    public Mono<SettingsBody> getSettings() {
        return Caller.current().flatMap(caller -> settings.of(caller.userId())).map(WebhookController::body);
    }

    /** The callback for uploads that name none; null or empty removes it. Checked as an upload's is. */
    @PutMapping("/settings")
    public Mono<SettingsBody> putSettings(@RequestBody NewSettings body) {
        String url =
                body == null || body.defaultUrl() == null || body.defaultUrl().isBlank()
                        ? null
                        : body.defaultUrl().strip();
        return Caller.current()
                .flatMap(caller -> (url == null ? Mono.<String>empty() : callbackUrls.checked(caller.userId(), url))
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .flatMap(checked -> settings.setDefaultUrl(caller.userId(), checked.orElse(null)))
                        .then(settings.of(caller.userId())))
                .map(WebhookController::body);
    }

    /** The caller's latest calls, newest first, each with every try. */
    @GetMapping("/deliveries")
    public Mono<List<WebhookDeliveries.Listed>> deliveries() {
        return Caller.current()
                .flatMapMany(caller -> deliveries.of(caller.userId(), LISTED))
                .collectList();
    }

    private static Mono<Caller> signedIn() {
        return Caller.withApiKey()
                .flatMap(withKey -> withKey
                        ? Mono.error(new ApiException(
                                HttpStatus.FORBIDDEN, "Make a webhook secret while signed in, not with an API key"))
                        : Caller.current());
    }

    private static SettingsBody body(WebhookSettings.Settings s) {
        return new SettingsBody(s.defaultUrl(), s.secretCreatedAt() != null, s.secretCreatedAt());
    }

    public record Secret(String secret) {}

    public record NewSettings(@JsonProperty("default_url") String defaultUrl) {}

    public record SettingsBody(
            @JsonProperty("default_url") String defaultUrl,
            @JsonProperty("has_secret") boolean hasSecret,
            @JsonProperty("secret_created_at") OffsetDateTime secretCreatedAt) {}
}
