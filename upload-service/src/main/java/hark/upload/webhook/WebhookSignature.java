package hark.upload.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code v1,} and the base64 of an HMAC-SHA256, keyed with the
 * secret's bytes (what follows {@code whsec_}, base64-decoded, as the convention's libraries do), over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}. The id and time inside what is signed are what
 * let a receiver refuse a replayed or delayed call.
 */
public final class WebhookSignature {

    private WebhookSignature() {}

    public static String sign(byte[] key, String messageId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java has HmacSHA256", e);
        }
    }

    /** The key a {@code whsec_…} secret stands for. */
    public static byte[] keyOf(String secret) {
        String encoded = secret.startsWith(WebhookSettings.SECRET_PREFIX)
                ? secret.substring(WebhookSettings.SECRET_PREFIX.length())
                : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
