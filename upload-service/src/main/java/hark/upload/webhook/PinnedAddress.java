package hark.upload.webhook;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A resolver that answers every name with the one address already checked. The HTTP client keeps
 * the URL's host name for the Host header and for TLS (its certificate is checked against the
 * name), but it connects to this address: a second DNS lookup, which an attacker's name server
 * could answer with an internal address (DNS rebinding), never happens.
 */
final class PinnedAddress extends AddressResolverGroup<InetSocketAddress> {

    private final InetAddress address;

    PinnedAddress(InetAddress address) {
        this.address = address;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                promise.setSuccess(address);
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                promise.setSuccess(List.of(address));
            }
        });
    }
}
