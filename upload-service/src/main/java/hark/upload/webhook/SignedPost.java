package hark.upload.webhook;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * One signed POST to a checked callback address, answering the receiver's HTTP status. No
 * redirect is followed (a public address could send Hark on to an internal one), the connection
 * is never pooled (each call resolves to its own checked address) and the response body is not
 * read at all: the status is all a call needs, and a receiver cannot make Hark hold its answer.
 */
final class SignedPost {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    private final Duration connectTimeout;
    private final Duration readTimeout;

    SignedPost(WebhookProperties props) {
        this.connectTimeout = props.connectTimeout();
        this.readTimeout = props.readTimeout();
    }

    Mono<Integer> send(CallbackAddresses.Checked target, String messageId, byte[] key, String body) {
        long timestamp = Instant.now().getEpochSecond();
        String signature = WebhookSignature.sign(key, messageId, timestamp, body);
        return HttpClient.newConnection()
                .resolver(new PinnedAddress(target.address()))
                .noProxy()
                .followRedirect(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .responseTimeout(readTimeout)
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .set(HttpHeaderNames.USER_AGENT, "Hark-Webhooks/1")
                        .set(ID, messageId)
                        .set(TIMESTAMP, Long.toString(timestamp))
                        .set(SIGNATURE, signature))
                .post()
                .uri(target.uri())
                .send(ByteBufFlux.fromString(
                        Mono.just(body), StandardCharsets.UTF_8, io.netty.buffer.ByteBufAllocator.DEFAULT))
                .responseConnection((response, connection) -> {
                    int status = response.status().code();
                    connection.dispose();
                    return Mono.just(status);
                })
                .next();
    }
}
