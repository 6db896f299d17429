package hark.upload.audio;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code hark.upload.uploads-per-minute} uploads per user in any rolling minute, so that
 * one account cannot fill the disk or the transcription queue. Call it before any byte of an
 * upload is stored; a refused upload does not count.
 *
 * <p>The count is kept in this process's memory: each upload-service instance limits on its own,
 * so behind a load balancer with k instances a user may get up to k times the limit. A limit
 * shared by all instances needs a shared store (PostgreSQL or Redis); none is used here. A restart
 * forgets the counts, which errs on the user's side.
 *
 * <p>The window is exact, not a token bucket: each user keeps the times of their last N accepted
 * uploads in a ring, and a new one is allowed when the oldest of those is a minute old. That is
 * O(1) per call and N longs per active user. Users with no upload in the last minute are swept
 * from the map once a minute, by whichever call comes first, so the map holds only recent users.
 */
@Component
public class UploadRateLimiter {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final long WINDOW_MILLIS = WINDOW.toMillis();

    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    @Autowired
    public UploadRateLimiter(@Value("${hark.upload.uploads-per-minute:30}") int perMinute) {
        this(perMinute, Clock.systemUTC());
    }

    /** @param perMinute uploads allowed per user per rolling minute; 0 turns the limit off */
    public UploadRateLimiter(int perMinute, Clock clock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("hark.upload.uploads-per-minute must be 0 (no limit) or more, not "
                    + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
        this.nextSweep = new AtomicLong(clock.millis() + WINDOW_MILLIS);
    }

    /**
     * Counts an upload by {@code user} if the limit allows it. Empty means go ahead (and it has been
     * counted); otherwise the time until the user's oldest upload in the window leaves it, at most
     * a minute.
     */
    public Optional<Duration> tryAcquire(String user) {
        if (perMinute == 0) {
            return Optional.empty();
        }
        long now = clock.millis();
        sweepIfDue(now);
        long[] wait = new long[1];
        // compute() runs under the map's lock for this key: concurrent uploads by one user are
        // counted one at a time, and a sweep cannot drop the window between reading and updating it.
        windows.compute(user, (key, window) -> {
            Window w = window != null ? window : new Window(perMinute);
            wait[0] = w.tryAdd(now);
            return w;
        });
        return wait[0] == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wait[0]));
    }

    /** As {@link #tryAcquire}, but a refusal is thrown, to become a 429 with Retry-After. */
    public void acquire(String user) {
        tryAcquire(user).ifPresent(wait -> {
            throw new TooManyUploads(perMinute, wait);
        });
    }

    public int perMinute() {
        return perMinute;
    }

    /** Users currently remembered; for tests of the sweep. */
    int trackedUsers() {
        return windows.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        // Only the caller that wins the compareAndSet sweeps; the others go straight on.
        if (now < due || !nextSweep.compareAndSet(due, now + WINDOW_MILLIS)) {
            return;
        }
        for (String user : windows.keySet()) {
            // Per key and atomic, like tryAcquire: a window that just took an upload is kept.
            windows.computeIfPresent(user, (key, w) -> w.idle(now) ? null : w);
        }
    }

    /** The times of one user's last N accepted uploads, in a ring. Guarded by the map's per-key lock. */
    private static final class Window {
        private final long[] times;
        private int count;
        private int next; // the slot of the oldest time once the ring is full

        Window(int size) {
            times = new long[size];
        }

        /** Records an upload at {@code now} and returns 0, or returns the wait in milliseconds (> 0). */
        long tryAdd(long now) {
            if (count == times.length) {
                long oldest = times[next];
                long wait = oldest + WINDOW_MILLIS - now;
                if (wait > 0) {
                    // A clock set back could make the wait longer than the window; never ask for more.
                    return Math.min(wait, WINDOW_MILLIS);
                }
            } else {
                count++;
            }
            times[next] = now;
            next = (next + 1) % times.length;
            return 0;
        }

        /** True when no upload is left in the window: forgetting the user changes nothing. */
        boolean idle(long now) {
            int newest = (next - 1 + times.length) % times.length;
            return count == 0 || now - times[newest] >= WINDOW_MILLIS;
        }
    }
}
