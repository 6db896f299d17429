package hark.upload.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPropertiesTest {

    static WebhookProperties props(boolean allowPrivate) {
        return new WebhookProperties(
                allowPrivate,
                "",
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1)),
                Duration.ofHours(24),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                Duration.ofSeconds(2),
                32);
    }

    @Test
    void theWaitsGrowAndTheLastRepeats() {
        WebhookProperties props = props(false);
        assertThat(props.waitAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(props.waitAfter(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(props.waitAfter(4)).isEqualTo(Duration.ofHours(1));
        assertThat(props.waitAfter(40)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theSignatureIsStandardWebhooks() {
        // The example of the Standard Webhooks specification.
        byte[] key = WebhookSignature.keyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String body = "{\"test\": 2432232314}";
        assertThat(WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
