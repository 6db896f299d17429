package hark.status.watchdog;

import hark.platform.PeriodicTask;
import hark.platform.kafka.EventPublisher;
import hark.schemas.StageFailed;
import hark.status.StatusProperties;
import hark.status.ops.JobMetrics;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Fails jobs that stopped moving: no event for {@code stallAfter} ("stalled"), or running past the
 * time limit ("time limit"). It does not touch the view itself: it publishes the failure as an
 * event, so the view — and a rebuild of it from the log — shows it like any other failure, and
 * two status services watching at once publish the same event id, which is folded once.
 */
@Component
public class Watchdog extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final DatabaseClient db;
    private final EventPublisher publisher;
    private final JobMetrics metrics;
    private final StatusProperties props;

    public Watchdog(DatabaseClient db, EventPublisher publisher, JobMetrics metrics, StatusProperties props) {
        super("hark-watchdog", props.watchdogInterval(), props.watchdogInterval());
        this.db = db;
        this.publisher = publisher;
        this.metrics = metrics;
        this.props = props;
    }

    public record Stuck(UUID jobId, long nodeId, boolean overTime, Duration limit, OffsetDateTime since) {}

    /** One look; returns the jobs it failed. */
    public List<Stuck> check() {
        // A replay puts a failed job back to work: its time counts again from the replay.
        String began = "greatest(coalesce(started_at, uploaded_at), replayed_at)";
        // The live statuses as literals, not parameters: word for word the predicate of the partial
        // index transcriptions_live, which the planner can then use (see JobStatus).
        List<Stuck> stuck = db.sql("SELECT job_id, node_id, greatest(:limit, coalesce(duration_seconds, 0) * :factor)"
                        + " AS limit_seconds, coalesce(last_event_at, uploaded_at, updated_at) AS last_event,"
                        + " " + began + " < now() - make_interval(secs => greatest(:limit,"
                        + "   coalesce(duration_seconds, 0) * :factor)) AS over_time"
                        + " FROM status.transcriptions WHERE status IN ('pending', 'processing') AND ("
                        + "   coalesce(last_event_at, uploaded_at, updated_at) < now() - make_interval(secs => :stall)"
                        + "   OR " + began + " < now() - make_interval(secs => greatest(:limit,"
                        + "     coalesce(duration_seconds, 0) * :factor)))")
                .bind("stall", (double) props.stallAfter().toSeconds())
                .bind("limit", (double) props.timeLimit().toSeconds())
                .bind("factor", props.timeLimitPerAudioSecond())
                .map(row -> new Stuck(
                        row.get("job_id", UUID.class),
                        row.get("node_id", Long.class),
                        Boolean.TRUE.equals(row.get("over_time", Boolean.class)),
                        Duration.ofSeconds(Math.round(row.get("limit_seconds", Double.class))),
                        row.get("last_event", OffsetDateTime.class)))
                .all()
                .collectList()
                .block();
        for (Stuck job : stuck) {
            String reason = job.overTime()
                    ? "time limit: the job ran longer than the " + minutes(job.limit()) + " it may take"
                    : "stalled: nothing happened for " + minutes(props.stallAfter());
            log.warn("Failing job {} of node {}: {}", job.jobId(), job.nodeId(), reason);
            // Named by the job's last event: the same look twice is one failure, a replayed job stuck again a new one.
            publisher.publish(
                    StageFailed.of(job.jobId(), job.nodeId(), "watchdog", reason, false, String.valueOf(job.since())));
            metrics.stalled();
        }
        return stuck;
    }

    private static String minutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes >= 1 ? minutes + " minutes" : duration.toSeconds() + " seconds";
    }

    @Override
    protected void runOnce() {
        check();
    }
}
