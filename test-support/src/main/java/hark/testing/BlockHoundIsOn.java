package hark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The tests of a WebFlux service run under BlockHound, so that a blocking call on an event-loop
 * thread fails them. Were BlockHound silently not installed (its dependency or JVM flag gone, a JDK
 * it cannot instrument), they would pass for the wrong reason; a module's subclass of this would not.
 */
public abstract class BlockHoundIsOn {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aBlockingCallOnAReactorNonBlockingThreadIsAnError() {
        Throwable error = Mono.delay(Duration.ofMillis(1))
                .doOnNext(tick -> sleep())
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(TIMEOUT);

        assertInstanceOf(BlockingOperationError.class, error);
    }

    @Test
    void aBlockingCallOnANettyEventLoopIsAnError() throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Future<?> task = loops.submit(BlockHoundIsOn::sleep);

            task.await(TIMEOUT.toMillis());
            assertInstanceOf(BlockingOperationError.class, task.cause());
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Also what {@link HarkBlockHoundIntegration} adds: the file system is blocking too. */
    @Test
    void aFileSystemCallOnANonBlockingThreadIsAnError() {
        Throwable error = Mono.delay(Duration.ofMillis(1))
                .map(tick -> Files.exists(Path.of(".")))
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(TIMEOUT);

        assertInstanceOf(BlockingOperationError.class, error);
    }

    @Test
    void blockingOnBoundedElasticIsAllowed() {
        String result = Mono.fromCallable(() -> {
                    sleep();
                    Files.exists(Path.of("."));
                    return "slept";
                })
                .subscribeOn(Schedulers.boundedElastic())
                .block(TIMEOUT);

        assertEquals("slept", result);
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
