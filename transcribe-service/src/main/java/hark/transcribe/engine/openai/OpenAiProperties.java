package hark.transcribe.engine.openai;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Hark calls OpenAI's transcription API, or any server that speaks it.
 *
 * @param baseUrl           {@code OPENAI_BASE_URL}; requests go to {@code <base>/v1/audio/transcriptions}
 * @param apiKey            {@code OPENAI_API_KEY}; required by OpenAI itself, optional for other servers
 * @param model             {@code HARK_OPENAI_MODEL}
 * @param responseFormat    {@code json}, {@code verbose_json} (timestamps), or {@code auto}: verbose
 *                          for Whisper models, plain json for the gpt-4o models that only offer that
 * @param language          ISO-639-1 code sent as a hint, or blank to let the API detect it
 * @param timeLimit         longest one call may take (the original design's 900 s)
 * @param connectTimeout    longest to wait for a connection
 * @param requestsPerMinute calls started per minute by this process, all consumers together
 * @param maxConcurrentCalls calls in flight at once from this process
 * @param retry             retries of one chunk's call
 * @param circuitBreaker    when to stop calling an API that keeps failing
 */
@ConfigurationProperties("hark.openai")
public record OpenAiProperties(
        URI baseUrl,
        String apiKey,
        String model,
        String responseFormat,
        String language,
        Duration timeLimit,
        Duration connectTimeout,
        int requestsPerMinute,
        int maxConcurrentCalls,
        Retry retry,
        CircuitBreaker circuitBreaker) {

    static final URI OPENAI = URI.create("https://api.openai.com");

    /**
     * @param attempts       tries of one call, the first included
     * @param initialBackoff wait before the second try; doubles each time, with jitter
     * @param maxBackoff     longest wait between tries of our own choosing
     * @param maxRetryAfter  longest {@code Retry-After} honoured; a longer one is cut to this
     */
    public record Retry(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {}

    /**
     * @param failureRatePercent failures among the last {@code window} calls that open the circuit
     * @param window             calls looked at
     * @param minimumCalls       calls needed before the rate counts
     * @param openFor            how long calls are refused before a trial call is let through
     */
    public record CircuitBreaker(int failureRatePercent, int window, int minimumCalls, Duration openFor) {}

    boolean hasKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** OpenAI refuses every call without a key; a self-hosted server may not want one. */
    boolean needsKey() {
        return OPENAI.getHost().equals(baseUrl.getHost());
    }

    /** Where to post. Accepts a base with or without {@code /v1}, as the OpenAI SDKs take it with. */
    URI transcriptionsUrl() {
        String base = baseUrl.toString().replaceAll("/+$", "");
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        return URI.create(base + "/v1/audio/transcriptions");
    }

    String effectiveResponseFormat() {
        if (responseFormat != null && !responseFormat.isBlank() && !"auto".equals(responseFormat)) {
            return responseFormat;
        }
        return model.startsWith("gpt-4o") ? "json" : "verbose_json";
    }
}
