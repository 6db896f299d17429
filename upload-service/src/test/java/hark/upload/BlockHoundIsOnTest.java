package hark.upload;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of this module (and of status-service) runs under BlockHound, so that a blocking
 * call on an event-loop thread fails it. Were BlockHound silently not installed (a missing JVM
 * flag, a JDK it cannot instrument), those tests would pass for the wrong reason: this one would not.
 */
class BlockHoundIsOnTest {

    @Test
    void aBlockingCallOnAReactorNonBlockingThreadIsAnError() {
        Mono<Long> sleepsOnParallel = Mono.delay(Duration.ofMillis(1)).doOnNext(tick -> sleep());

        StepVerifier.create(sleepsOnParallel)
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aBlockingCallOnANettyEventLoopIsAnError() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Future<?> task = loops.submit(BlockHoundIsOnTest::sleep).await();

            assertThat(task.cause()).isInstanceOf(BlockingOperationError.class);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void blockingOnBoundedElasticIsAllowed() {
        Mono<String> sleepsOnElastic = Mono.fromCallable(() -> {
            sleep();
            return "slept";
        }).subscribeOn(Schedulers.boundedElastic());

        StepVerifier.create(sleepsOnElastic).expectNext("slept").verifyComplete();
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
