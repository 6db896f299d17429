package hark.upload.audio;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadRateLimiterTest {

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    @Test
    void theLimitHoldsOverAnyRollingMinute() {
        var limiter = new UploadRateLimiter(3, clock);

        assertThat(limiter.tryAcquire("ann")).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("ann")).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("ann")).isEmpty();
        clock.advance(Duration.ofSeconds(5));

        // The first upload, at 0 s, leaves the window at 60 s; it is now 25 s.
        assertThat(limiter.tryAcquire("ann")).contains(Duration.ofSeconds(35));
        clock.advance(Duration.ofSeconds(34));
        assertThat(limiter.tryAcquire("ann")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("ann")).as("a slot freed").isEmpty();
        // Now the uploads in the window are those at 10, 20 and 60 s: the next slot frees at 70 s.
        assertThat(limiter.tryAcquire("ann")).contains(Duration.ofSeconds(10));
    }

    @Test
    void refusalsDoNotCount() {
        var limiter = new UploadRateLimiter(1, clock);
        assertThat(limiter.tryAcquire("ann")).isEmpty();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(limiter.tryAcquire("ann")).isPresent();
        }
        clock.advance(Duration.ofSeconds(10)); // 60 s after the only accepted upload

        assertThat(limiter.tryAcquire("ann")).isEmpty();
    }

    @Test
    void eachUserHasTheirOwnLimit() {
        var limiter = new UploadRateLimiter(2, clock);
        limiter.tryAcquire("ann");
        limiter.tryAcquire("ann");

        assertThat(limiter.tryAcquire("ann")).isPresent();
        assertThat(limiter.tryAcquire("bob")).isEmpty();
        assertThat(limiter.tryAcquire("bob")).isEmpty();
        assertThat(limiter.tryAcquire("bob")).isPresent();
    }

    @Test
    void zeroMeansNoLimitAndRemembersNobody() {
        var limiter = new UploadRateLimiter(0, clock);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire("ann")).isEmpty();
        }
        assertThat(limiter.trackedUsers()).isZero();
    }

    @Test
    void aNegativeLimitIsAMistakeCaughtAtStartup() {
        assertThatThrownBy(() -> new UploadRateLimiter(-1, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uploads-per-minute");
    }

    @Test
    void usersIdleForAMinuteAreForgotten() {
        var limiter = new UploadRateLimiter(5, clock);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("user-" + i);
        }
        assertThat(limiter.trackedUsers()).isEqualTo(1000);
        clock.advance(Duration.ofSeconds(30));
        limiter.tryAcquire("late");

        clock.advance(Duration.ofSeconds(31)); // the first thousand are 61 s old, "late" 31 s
        limiter.tryAcquire("trigger");

        assertThat(limiter.trackedUsers()).as("late and trigger remain").isEqualTo(2);
        // A forgotten user starts afresh, which is what they would have had anyway.
        assertThat(limiter.tryAcquire("user-1")).isEmpty();
    }

    @Test
    void aClockSetBackNeverAsksForMoreThanAMinute() {
        var limiter = new UploadRateLimiter(1, clock);
        limiter.tryAcquire("ann");
        clock.advance(Duration.ofHours(-2));

        assertThat(limiter.tryAcquire("ann")).contains(Duration.ofMinutes(1));
    }

    @Test
    void concurrentUploadsByOneUserAreCountedExactly() throws InterruptedException {
        var limiter = new UploadRateLimiter(50, Clock.systemUTC());
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 400; i++) {
            pool.submit(() -> {
                start.await();
                if (limiter.tryAcquire("ann").isEmpty()) {
                    allowed.incrementAndGet();
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(allowed).hasValue(50);
    }

    @Test
    void acquireThrowsA429WithTheWaitInWholeSeconds() {
        var limiter = new UploadRateLimiter(2, clock);
        limiter.acquire("ann");
        clock.advance(Duration.ofMillis(500));
        limiter.acquire("ann");
        clock.advance(Duration.ofMillis(1200)); // 1.7 s after the first, which leaves in 58.3 s

        assertThatThrownBy(() -> limiter.acquire("ann")).isInstanceOfSatisfying(TooManyUploads.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(58_300));
            assertThat(e.retryAfterSeconds()).isEqualTo(59);
            assertThat(e.perMinute()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("Too many uploads: at most 2 a minute. Try again in 59 seconds.");
        });
    }

    @Test
    void theMessageSaysOneSecondNotOneSeconds() {
        assertThat(new TooManyUploads(30, Duration.ofMillis(200)).getMessage())
                .isEqualTo("Too many uploads: at most 30 a minute. Try again in 1 second.");
        assertThat(new TooManyUploads(30, Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
