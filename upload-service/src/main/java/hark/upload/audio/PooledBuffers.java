package hark.upload.audio;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Reads requests into Netty's pooled buffers rather than Netty 4.2's default adaptive ones.
 *
 * <p>Why: a multipart body is cut into parts by slicing the network buffers, and when an upload is
 * refused mid-stream one such slice is released twice somewhere between Spring's multipart parser
 * and Reactor's cancellation path (we release each buffer we own once: {@code AudioReceiver}).
 * A slice of an adaptive buffer shares its parent's reference count, so that second release freed
 * the connection's read buffer under Netty: every refused upload logged {@code
 * IllegalReferenceCountException}, and under load the connection closed before the 413 or 415 was
 * written, or a later upload on it failed. A pooled slice has a count of its own, and Spring's
 * release of an already released buffer is then a no-op. {@code UploadContentTest} logs no such
 * exception with these buffers (six per run with the adaptive ones).
 */
public final class PooledBuffers implements NettyServerCustomizer {

    @Override
    public reactor.netty.http.server.HttpServer apply(reactor.netty.http.server.HttpServer server) {
        return server.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    }
}
