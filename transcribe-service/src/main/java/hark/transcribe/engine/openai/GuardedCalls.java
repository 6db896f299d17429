package hark.transcribe.engine.openai;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call to the API goes through here, so that all consumers of one process share one
 * circuit breaker, one rate limiter and one bulkhead. From the outside in: retry (backoff with
 * jitter, or the API's {@code Retry-After}), circuit breaker (an outage makes calls wait for it
 * instead of each chunk hammering the API), rate limiter (requests per minute), bulkhead
 * (calls in flight), time limit (one call).
 */
final class GuardedCalls {

    private static final Logger log = LoggerFactory.getLogger(GuardedCalls.class);

    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter rateLimiter;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;

    GuardedCalls(OpenAiProperties props) {
        OpenAiProperties.Retry retries = props.retry();
        OpenAiProperties.CircuitBreaker circuit = props.circuitBreaker();
        this.retry = Retry.of(
                "transcription-api",
                RetryConfig.custom()
                        .maxAttempts(Math.max(1, retries.attempts()))
                        .retryOnException(GuardedCalls::worthRetrying)
                        .intervalBiFunction(waitBeforeRetry(retries, circuit.openFor()))
                        .build());
        this.breaker = CircuitBreaker.of(
                "transcription-api",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(circuit.window())
                        .minimumNumberOfCalls(circuit.minimumCalls())
                        .failureRateThreshold(circuit.failureRatePercent())
                        .waitDurationInOpenState(circuit.openFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .recordException(failure -> failure instanceof ApiCallFailure api && api.outage())
                        .build());
        // Waiting for a permit or a free slot is part of the queue, not a failure: consumers wait
        // as long as one call may take.
        this.rateLimiter = RateLimiter.of(
                "transcription-api",
                RateLimiterConfig.custom()
                        .limitForPeriod(props.requestsPerMinute() > 0 ? props.requestsPerMinute() : Integer.MAX_VALUE)
                        .limitRefreshPeriod(Duration.ofMinutes(1))
                        .timeoutDuration(props.timeLimit())
                        .build());
        this.bulkhead = Bulkhead.of(
                "transcription-api",
                BulkheadConfig.custom()
                        .maxConcurrentCalls(Math.max(1, props.maxConcurrentCalls()))
                        .maxWaitDuration(props.timeLimit())
                        .build());
        this.timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(props.timeLimit())
                .cancelRunningFuture(true)
                .build());
        retry.getEventPublisher()
                .onRetry(event -> log.warn(
                        "Transcription API call failed ({}); try {} of {} in {} ms",
                        event.getLastThrowable().getMessage(),
                        event.getNumberOfRetryAttempts() + 1,
                        retries.attempts(),
                        event.getWaitInterval().toMillis()));
        breaker.getEventPublisher()
                .onStateTransition(event -> log.warn("Transcription API circuit {}", event.getStateTransition()));
    }

    /** Runs the call with every guard; throws the last {@link ApiCallFailure} or a {@link CallNotPermittedException}. */
    <T> T call(Supplier<CompletableFuture<T>> call) {
        Supplier<T> guarded = () -> withinTimeLimit(call);
        guarded = Bulkhead.decorateSupplier(bulkhead, guarded);
        guarded = RateLimiter.decorateSupplier(rateLimiter, guarded);
        guarded = CircuitBreaker.decorateSupplier(breaker, guarded);
        guarded = Retry.decorateSupplier(retry, guarded);
        return guarded.get();
    }

    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    private <T> T withinTimeLimit(Supplier<CompletableFuture<T>> call) {
        try {
            return timeLimiter.executeFutureSupplier(call::get);
        } catch (TimeoutException | CancellationException e) {
            throw ApiCallFailure.of(
                    ApiCallFailure.Kind.TIMEOUT,
                    "no answer within "
                            + timeLimiter
                                    .getTimeLimiterConfig()
                                    .getTimeoutDuration()
                                    .toSeconds() + " s",
                    e);
        } catch (Exception e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiCallFailure api) {
            return api;
        }
        if (cause instanceof HttpTimeoutException) {
            return ApiCallFailure.of(ApiCallFailure.Kind.TIMEOUT, "no answer in time: " + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return ApiCallFailure.of(ApiCallFailure.Kind.CONNECTION, "connection failed: " + cause, cause);
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static boolean worthRetrying(Throwable failure) {
        if (failure instanceof ApiCallFailure api) {
            return api.retryable();
        }
        // The circuit is open: the next try waits until it lets a trial call through.
        return failure instanceof CallNotPermittedException;
    }

    /**
     * Exponential backoff with jitter, so that consumers that failed together do not retry
     * together; the API's own {@code Retry-After} wins when it gives one (capped, plus a little
     * jitter for the same reason); an open circuit is waited out.
     */
    private static IntervalBiFunction<Object> waitBeforeRetry(OpenAiProperties.Retry retries, Duration openFor) {
        return (attempt, outcome) -> {
            Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (failure instanceof ApiCallFailure api && api.retryAfter() != null) {
                long asked = Math.min(
                        api.retryAfter().toMillis(), retries.maxRetryAfter().toMillis());
                return asked + random.nextLong(asked / 10 + 1);
            }
            if (failure instanceof CallNotPermittedException) {
                return openFor.toMillis() + random.nextLong(openFor.toMillis() / 10 + 1);
            }
            long ceiling = Math.min(
                    retries.maxBackoff().toMillis(), retries.initialBackoff().toMillis() << Math.min(20, attempt - 1));
            return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
        };
    }
}
