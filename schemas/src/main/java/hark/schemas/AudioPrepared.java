package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/** The recording was probed and, where needed, compressed; {@code preparedPath} is what gets chunked. */
public record AudioPrepared(
        UUID eventId,
        UUID jobId,
        long nodeId,
        Instant occurredAt,
        int schemaVersion,
        String preparedPath,
        String format,
        double durationSeconds,
        long sizeBytes,
        boolean compressed)
        implements HarkEvent {

    public static AudioPrepared of(
            UUID jobId,
            long nodeId,
            String preparedPath,
            String format,
            double durationSeconds,
            long sizeBytes,
            boolean compressed) {
        return new AudioPrepared(
                EventIds.of(jobId, "prepared"),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                preparedPath,
                format,
                durationSeconds,
                sizeBytes,
                compressed);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.audioPrepared(this);
    }
}
