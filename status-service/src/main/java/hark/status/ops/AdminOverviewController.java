package hark.status.ops;

import hark.platform.audio.Ffmpeg;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code GET /api/admin/overview} (admins only, as all of {@code /api/admin}): see {@link AdminOverview}. */
@RestController
public class AdminOverviewController {

    private static final Logger log = LoggerFactory.getLogger(AdminOverviewController.class);

    private final OverviewRepository jobs;
    private final ConsumerLag lag;
    private final DeadLetterCounts deadLetters;
    private final MeterRegistry registry;
    private final String ffmpeg;
    private final EngineChoices engines;

    public AdminOverviewController(
            OverviewRepository jobs,
            ConsumerLag lag,
            DeadLetterCounts deadLetters,
            MeterRegistry registry,
            Ffmpeg ffmpeg,
            EngineChoices engines) {
        this.jobs = jobs;
        this.lag = lag;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.ffmpeg = ffmpeg.describe();
        this.engines = engines;
    }

    @GetMapping("/api/admin/overview")
    public Mono<AdminOverview> overview() {
        return Mono.zip(
                        jobs.jobCounts(),
                        jobs.oldestRunning().map(Optional::of).defaultIfEmpty(Optional.empty()),
                        deadLetterCounts(),
                        jobs.work().collectList(),
                        jobs.erasedRecordings())
                .map(t -> new AdminOverview(
                        t.getT1(),
                        lag.byStage(),
                        t.getT2().orElse(null),
                        stalledTotal(),
                        t.getT3().orElse(null),
                        t.getT4(),
                        byUser(t.getT4()),
                        t.getT5(),
                        ffmpeg,
                        engines.list()));
    }

    private static Map<String, Long> byUser(List<AdminOverview.Work> work) {
        return work.stream()
                .collect(Collectors.groupingBy(
                        w -> String.valueOf(w.userId()),
                        TreeMap::new,
                        Collectors.summingLong(w -> w.chunksLeft() == null ? 0 : w.chunksLeft())));
    }

    /** Asked of the broker off the event loop; the rest of the page still answers if it is down. */
    private Mono<Optional<Map<String, Long>>> deadLetterCounts() {
        return Mono.fromCallable(deadLetters::count)
                .subscribeOn(Schedulers.boundedElastic())
                .map(Optional::of)
                .onErrorResume(e -> {
                    log.warn("Could not count dead letters: {}", e.toString());
                    return Mono.just(Optional.empty());
                });
    }

    /** Read from the meter JobMetrics keeps, so the page and Prometheus never disagree. */
    private long stalledTotal() {
        Counter stalled = registry.find("hark.jobs.stalled").counter();
        return stalled == null ? 0 : (long) stalled.count();
    }
}
