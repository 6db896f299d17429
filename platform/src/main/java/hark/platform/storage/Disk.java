package hark.platform.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * File system calls for reactive code. Each waits for the disk (a stat, a rename, an open), so it
 * runs on Reactor's boundedElastic threads: on an event loop it would hold up every connection
 * that loop serves. The tests of the WebFlux services count any {@link Files} call on an event
 * loop as an error (BlockHound).
 */
public final class Disk {

    private Disk() {}

    /** {@code work}, called on a thread that may block. */
    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    public static Mono<Boolean> exists(Path file) {
        return call(() -> Files.exists(file));
    }

    /** Deletes the file if there is one; failing to is not an error of the work that made it. */
    public static Mono<Void> deleteQuietly(Path file) {
        if (file == null) {
            return Mono.empty();
        }
        return Mono.<Void>fromRunnable(() -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // what is left in incoming/ is swept by WorkSweeper
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }
}
