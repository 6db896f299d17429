package hark.upload.limits;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import hark.platform.db.DatabaseProperties;
import hark.platform.web.ApiException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rate limits that hold across every upload-service instance: Bucket4j token buckets kept in
 * PostgreSQL ({@code upload.rate_limits}), one per key ("sign-in by this address", "uploads of this
 * user"). Bucket4j talks JDBC, so the checks run on Reactor's blocking pool over a pool of a few
 * connections of their own; a bucket that has filled up again is dropped by {@link #removeExpired}.
 */
public class RateLimits implements AutoCloseable {

    private final HikariDataSource connections;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    public RateLimits(DatabaseProperties database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("rate-limits");
        this.connections = new HikariDataSource(config);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(connections)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("upload.rate_limits")
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * Takes one from the bucket {@code key}, which holds {@code limit.count()} and refills that many
     * each {@code limit.per()}. Completes empty when allowed; fails with a 429 whose message
     * {@code refusal} makes from the wait (and whose Retry-After says it) when not. A limit of 0 is
     * no limit.
     */
    public Mono<Void> take(String key, Limit limit, Function<Duration, String> refusal) {
        if (limit.count() <= 0) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> tryTake(key, limit))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(wait -> wait.isZero()
                        ? Mono.<Void>empty()
                        : Mono.error(ApiException.tooMany(refusal.apply(wait), wait)));
    }

    /** Zero when allowed (and taken), or how long until the bucket holds one again. */
    Duration tryTake(String key, Limit limit) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.count()).refillGreedy(limit.count(), limit.per()))
                .build();
        ConsumptionProbe probe = buckets.getProxy(key, () -> config).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Drops buckets that are full again (nobody used them lately); returns how many. */
    public int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(1000);
            removed += batch;
        } while (batch == 1000);
        return removed;
    }

    @Override
    public void close() {
        connections.close();
    }

    /** {@code count} per {@code per}; 0 is no limit. */
    public record Limit(int count, Duration per) {

        public static Limit perMinute(int count) {
            return new Limit(count, Duration.ofMinutes(1));
        }

        public static Limit perHour(int count) {
            return new Limit(count, Duration.ofHours(1));
        }
    }
}
