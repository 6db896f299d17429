package hark.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets pass on an event-loop thread in the tests of the WebFlux services, besides
 * what Reactor, Netty and Spring already declare themselves. Each entry is a call that blocks only
 * in name; anything that really waits (a file, the database, a lock, a future) is moved off the
 * event loop in the service instead of being allowed here. Loaded by BlockHound through
 * {@code META-INF/services}.
 */
public final class HarkBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // SecureRandom's default source on Linux: random bytes read from /dev/urandom, which never
        // waits once the kernel is seeded (at boot), into a buffer refilled now and then. Reached
        // from UUID.randomUUID() (event ids, revocation ids, file names) and from Spring's multipart
        // boundaries, both on event loops. Only nextBytes: generateSeed, which may read /dev/random,
        // stays checked.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
    }
}
