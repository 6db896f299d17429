package hark.platform;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Housekeeping that runs on its own daemon thread while the application runs: first after
 * {@code firstDelay}, then {@code every} after each round ends. A round that fails is logged
 * and the next one tries again; a broker or database hiccup must not end the task.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String threadName;
    private final Duration firstDelay;
    private final Duration every;
    private ScheduledExecutorService timer;

    protected PeriodicTask(String threadName, Duration firstDelay, Duration every) {
        this.threadName = threadName;
        this.firstDelay = firstDelay;
        this.every = every;
    }

    /** One round of the work. */
    protected abstract void runOnce();

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::runQuietly, firstDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("{} round failed: {}", threadName, e.toString());
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
