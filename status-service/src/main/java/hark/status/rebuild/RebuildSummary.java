package hark.status.rebuild;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a rebuild did.
 *
 * @param records records read from the topics, up to the end offsets seen at the start
 * @param skipped records among them that are not an event Hark can read (the live view dead-lettered them)
 * @param jobs    jobs in the rebuilt view
 * @param tookMs  the whole rebuild, listener stop to restart
 */
public record RebuildSummary(
        long records,
        long skipped,
        long jobs,
        @JsonProperty("took_ms") long tookMs) {}
