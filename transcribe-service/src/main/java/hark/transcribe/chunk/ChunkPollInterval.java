package hark.transcribe.chunk;

import java.time.Duration;

/**
 * The chunk consumer's {@code max.poll.interval.ms}: the usual one, or longer when the engine says
 * one chunk can take longer (a slow API with its retries). Kafka takes a consumer that has not
 * polled for that long for dead and hands its chunk to another, which would transcribe it twice.
 * A consumer that really dies is still noticed within the session timeout, by its heartbeat.
 */
public record ChunkPollInterval(long millis) {

    private static final Duration MARGIN = Duration.ofMinutes(5);

    public static ChunkPollInterval covering(Duration longestCall, long usualMillis) {
        long needed = longestCall.isZero() ? 0 : longestCall.plus(MARGIN).toMillis();
        return new ChunkPollInterval(Math.max(usualMillis, needed));
    }
}
