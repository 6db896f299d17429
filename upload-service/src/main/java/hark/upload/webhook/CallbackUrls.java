package hark.upload.webhook;

import hark.platform.storage.Disk;
import hark.platform.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The check a callback URL passes when a user names it, with an upload or as their default. */
@Component
public class CallbackUrls {

    private final WebhookSettings settings;
    private final CallbackAddresses addresses;

    public CallbackUrls(WebhookSettings settings, CallbackAddresses addresses) {
        this.settings = settings;
        this.addresses = addresses;
    }

    /**
     * The URL as it will be called, when it is well-formed, its host public, and the user has a
     * secret to sign its calls with; else a 400 saying which. Checked now so that a mistake is told
     * at once rather than found in the delivery list a job later; checked again before each call,
     * as what the host points to may change. The lookup blocks, so it runs where a thread may wait.
     */
    public Mono<String> checked(String userId, String url) {
        return settings.hasSecret(userId)
                .flatMap(has -> has
                        ? Disk.call(() -> addresses.check(url).uri().toString())
                        : Mono.error(new ApiException(
                                HttpStatus.BAD_REQUEST,
                                "Make a webhook secret (POST /api/webhooks/secret) before naming a callback URL")))
                .onErrorMap(
                        CallbackAddresses.Refused.class,
                        refused -> new ApiException(HttpStatus.BAD_REQUEST, refused.getMessage()));
    }
}
