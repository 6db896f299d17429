package hark.platform.health;

import hark.platform.storage.objects.ObjectStore;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the audio storage answers: the folder writable, or the bucket there and reachable with
 * the credentials given. Without it no upload is kept and no stage can work.
 */
public class StorageHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ObjectStore objects;

    public StorageHealthIndicator(ObjectStore objects) {
        this.objects = objects;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromCallable(() -> {
                    objects.checkReachable();
                    return Health.up()
                            .withDetail("location", objects.location())
                            .build();
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT)
                .onErrorResume(e -> Mono.just(Health.down(e)
                        .withDetail("location", objects.location())
                        .build()));
    }
}
