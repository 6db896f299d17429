package hark.status;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param stallAfter              a running job with no event for this long is failed as stalled
 * @param timeLimit               a job running longer than this is failed with "time limit"...
 * @param timeLimitPerAudioSecond ...unless its recording is long: then this many times its length
 * @param watchdogInterval        how often the watchdog looks
 * @param streamPoll              how often a watched node's changes are looked for (once per node,
 *                                however many streams watch it)
 * @param streamsPerUser          live streams one user may have open at once in one process
 * @param searchesPerUser         searches of one user running at once in one process
 */
@ConfigurationProperties("hark.status")
public record StatusProperties(
        Duration stallAfter,
        Duration timeLimit,
        double timeLimitPerAudioSecond,
        Duration watchdogInterval,
        Duration streamPoll,
        int streamsPerUser,
        int searchesPerUser) {}
