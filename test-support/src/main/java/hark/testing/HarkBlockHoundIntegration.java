package hark.testing;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.function.Predicate;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound counts as blocking on an event-loop thread in the tests of the WebFlux services,
 * and what it lets pass, besides what Reactor, Netty and Spring declare themselves. Loaded by
 * BlockHound through {@code META-INF/services}.
 */
public final class HarkBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // BlockHound knows java.io's file streams, not java.nio.file, which is how Hark touches
        // files: every operation of Files waits for the disk (a stat, a rename, an open), so each
        // counts as blocking here too.
        markPublicMethodsAsBlocking(builder, Files.class, name -> true);
        // Opening a file is such a wait too, also where the reads and writes that follow are
        // asynchronous (Spring's DataBufferUtils opens an AsynchronousFileChannel when subscribed).
        markPublicMethodsAsBlocking(builder, FileChannel.class, "open"::equals);
        markPublicMethodsAsBlocking(builder, AsynchronousFileChannel.class, "open"::equals);

        // SecureRandom's default source on Linux: random bytes read from /dev/urandom, which never
        // waits once the kernel is seeded (at boot), into a buffer refilled now and then. Reached
        // from UUID.randomUUID() (event ids, revocation ids, file names) and from Spring's multipart
        // boundaries, both on event loops. Only nextBytes: generateSeed, which may read /dev/random,
        // stays checked.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");

        // Reactor Netty's zero-copy file response (how Spring serves a recording, with HTTP ranges)
        // opens the file on the event loop when the headers are out, then lets the kernel send it
        // (sendfile) from there as well. That is Netty's way of serving a file; the open is one
        // short system call of a local file. Only this lambda (the Mono.using resource of
        // NettyOutbound.sendFile): should it be renamed, the audio tests fail here, not pass.
        builder.allowBlockingCallsInside("reactor.netty.NettyOutbound", "lambda$sendFile$0");

        // Netty 4.2's default buffer allocator: when it adds magazines under contention, freeing
        // an old one takes that magazine's StampedLock, held only for an allocation in progress (a
        // few instructions). Netty's own BlockHound rules allow the allocator's other locks, not
        // this one yet (seen by Armeria too: line/armeria#6344). Met by many uploads at once
        // (ConcurrentUploadStressTest).
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }

    private static void markPublicMethodsAsBlocking(
            BlockHound.Builder builder, Class<?> type, Predicate<String> named) {
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && named.test(method.getName())) {
                builder.markAsBlocking(type, method.getName(), descriptor(method));
            }
        }
    }

    private static String descriptor(Method method) {
        return MethodType.methodType(method.getReturnType(), method.getParameterTypes())
                .toMethodDescriptorString();
    }
}
