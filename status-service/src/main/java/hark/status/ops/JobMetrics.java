package hark.status.ops;

import hark.status.view.JobStatus;
import hark.status.view.TranscriptionView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Jobs that ended, and how long they took from upload to their end; stalled jobs. Counted by the
 * live view as it folds each job's final event (a rebuild counts nothing).
 */
public class JobMetrics implements Consumer<TranscriptionView> {

    private final Counter completed;
    private final Counter failed;
    private final Counter cancelled;
    private final Counter stalled;
    private final Timer duration;

    public JobMetrics(MeterRegistry registry) {
        this.completed = Counter.builder("hark.jobs.ended")
                .tag("status", JobStatus.COMPLETED.api())
                .description("Transcription jobs that completed")
                .register(registry);
        this.failed = Counter.builder("hark.jobs.ended")
                .tag("status", JobStatus.FAILED.api())
                .description("Transcription jobs that failed")
                .register(registry);
        this.cancelled = Counter.builder("hark.jobs.ended")
                .tag("status", JobStatus.CANCELLED.api())
                .description("Transcription jobs cancelled by their owner")
                .register(registry);
        this.stalled = Counter.builder("hark.jobs.stalled")
                .description("Jobs the watchdog failed for having no event too long, or passing the time limit")
                .register(registry);
        this.duration = Timer.builder("hark.job.duration")
                .description("Upload to completion, failure or cancellation")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void accept(TranscriptionView job) {
        (job.status() == JobStatus.COMPLETED ? completed : job.status() == JobStatus.CANCELLED ? cancelled : failed)
                .increment();
        if (job.uploadedAt() != null && job.completedAt() != null) {
            duration.record(Duration.between(job.uploadedAt(), job.completedAt()));
        }
    }

    public void stalled() {
        stalled.increment();
    }
}
