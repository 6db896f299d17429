package hark.status.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * One look at the database per node, however many streams watch it: each watched node has one
 * poll of its latest change number, shared by its streams (the last number replayed to each new
 * one), stopped when the last of them closes. A stream reads the changes themselves only when
 * the number moves.
 */
final class ChangeSignals {

    private final ChangeLog changes;
    private final Duration poll;
    private final Map<Long, Flux<Long>> watched = new ConcurrentHashMap<>();

    ChangeSignals(ChangeLog changes, Duration poll) {
        this.changes = changes;
        this.poll = poll;
    }

    /** The node's latest change number: the current one at once, then each new one. */
    Flux<Long> latest(long nodeId) {
        return watched.computeIfAbsent(
                nodeId,
                id -> Flux.defer(() -> changes.latestSeq(id))
                        .repeatWhen(rounds -> rounds.delayElements(poll))
                        .distinctUntilChanged()
                        .doFinally(ended -> watched.remove(id))
                        .replay(1)
                        .refCount());
    }

    /** Nodes with a poll running now. */
    int watchedNodes() {
        return watched.size();
    }
}
