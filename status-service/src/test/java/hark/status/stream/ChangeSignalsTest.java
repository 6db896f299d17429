package hark.status.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Ten streams of one node cost one look at the database, and none once they have all closed. */
class ChangeSignalsTest {

    /** The change log as the signals see it: how often it was asked, and what it answers. */
    private static final class CountingLog extends ChangeLog {
        final AtomicInteger looks = new AtomicInteger();

        CountingLog() {
            super(null);
        }

        @Override
        public Mono<Long> latestSeq(long nodeId) {
            return Mono.fromSupplier(() -> (long) looks.incrementAndGet());
        }
    }

    @Test
    void streamsOfOneNodeShareOneLookAndTheLastToCloseEndsIt() {
        CountingLog log = new CountingLog();
        // A poll far longer than the test: only the first look can happen while it runs.
        ChangeSignals signals = new ChangeSignals(log, Duration.ofHours(1));
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<Disposable> streams = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            streams.add(signals.latest(42).subscribe(seen::add));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 10);

        assertThat(log.looks).hasValue(1);
        assertThat(seen).containsOnly(1L);
        assertThat(signals.watchedNodes()).isEqualTo(1);
        streams.forEach(Disposable::dispose);
        assertThat(signals.watchedNodes()).isZero();
    }
}
