package hark.transcribe.dispatch;

import hark.platform.PeriodicTask;
import java.time.Duration;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * The dispatcher's rounds that no event starts: consumers were added (more chunks may go out) or
 * a failure freed a place unseen. Each round also forgets what the queue no longer needs: chunks
 * transcribed or failed an hour ago, and the waiting chunks of cancelled jobs.
 */
public class DispatchRounds extends PeriodicTask {

    private final Dispatcher dispatcher;
    private final DatabaseClient db;
    private final Map<String, Integer> priorities;

    public DispatchRounds(Dispatcher dispatcher, DatabaseClient db, Map<String, Integer> priorities) {
        super("dispatch-rounds", Duration.ofSeconds(2), Duration.ofSeconds(2));
        this.dispatcher = dispatcher;
        this.db = db;
        this.priorities = priorities;
    }

    @Override
    public void start() {
        // The setting as it is now: weights of users no longer named go; an admin's word stays.
        db.sql("DELETE FROM transcribe.user_priorities WHERE source = 'setting'")
                .then()
                .thenMany(Flux.fromIterable(priorities.entrySet())
                        .concatMap(weight -> db.sql("INSERT INTO transcribe.user_priorities (user_id, weight, source)"
                                        + " VALUES (:user, :weight, 'setting') ON CONFLICT DO NOTHING")
                                .bind("user", weight.getKey())
                                .bind("weight", weight.getValue())
                                .then()))
                .then()
                .block();
        super.start();
    }

    @Override
    protected void runOnce() {
        dispatcher.release();
        db.sql("DELETE FROM transcribe.chunk_queue WHERE state IN ('done', 'failed')"
                        + " AND released_at < now() - interval '1 hour'")
                .then()
                .then(db.sql("DELETE FROM transcribe.chunk_queue q WHERE state = 'waiting' AND EXISTS"
                                + " (SELECT 1 FROM transcribe.cancelled_jobs c WHERE c.job_id = q.job_id)")
                        .then())
                .then(db.sql("DELETE FROM transcribe.queue_positions p WHERE NOT EXISTS (SELECT 1 FROM"
                                + " transcribe.chunk_queue q WHERE q.job_id = p.job_id AND q.state = 'waiting')")
                        .then())
                .block();
    }
}
