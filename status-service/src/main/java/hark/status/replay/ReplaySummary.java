package hark.status.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * What a replay did.
 *
 * @param replayed        dead letters put back on their source topic now
 * @param alreadyReplayed matching dead letters a replay before this one had put back
 * @param unreadable      records that are not a Hark event (kept where they are, for a person to look at)
 * @param erased          dead letters of recordings erased since, left alone
 * @param jobs            the jobs that were put back to work
 */
public record ReplaySummary(
        String topic,
        @JsonProperty("source_topic") String sourceTopic,
        int replayed,
        @JsonProperty("already_replayed") int alreadyReplayed,
        int unreadable,
        int erased,
        List<UUID> jobs) {}
