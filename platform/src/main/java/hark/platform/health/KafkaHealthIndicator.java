package hark.platform.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Whether the broker answers: Boot has no Kafka health indicator, and every Hark service is dead
 * without the broker. Reactive, so a slow broker never ties up a web thread; one admin client for
 * the life of the process, so a check is a single request, not a new connection.
 */
public class KafkaHealthIndicator implements ReactiveHealthIndicator, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthIndicator(Map<String, Object> adminConfig, Duration timeout) {
        this.admin = Admin.create(adminConfig);
        this.timeout = timeout;
    }

    @Override
    public Mono<Health> health() {
        DescribeClusterResult cluster =
                admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        Mono<String> clusterId = Mono.fromCompletionStage(cluster.clusterId().toCompletionStage());
        Mono<Integer> nodes =
                Mono.fromCompletionStage(cluster.nodes().toCompletionStage()).map(n -> n.size());
        return Mono.zip(clusterId, nodes)
                .map(t -> Health.up()
                        .withDetail("clusterId", t.getT1())
                        .withDetail("nodes", t.getT2())
                        .build())
                // The admin call has its own timeout; this one also bounds a stuck future.
                .timeout(timeout.plusSeconds(1))
                .onErrorResume(e -> Mono.just(Health.down(cause(e)).build()));
    }

    /** The admin client's own error says what went wrong; the future's wrapper says nothing. */
    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
