package hark.upload.webhook;

import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.TranscriptAssembled;
import hark.schemas.TranscriptionCancelled;
import java.util.Optional;

/** How a job ended, as a call tells it; each is called back at most once per job. */
public enum Outcome {
    COMPLETED,
    FAILED,
    CANCELLED;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The outcome an event announces; empty for the events that do not end a job. */
    static Optional<Outcome> of(HarkEvent event) {
        if (event instanceof TranscriptAssembled) {
            return Optional.of(COMPLETED);
        }
        if (event instanceof StageFailed) {
            return Optional.of(FAILED);
        }
        if (event instanceof TranscriptionCancelled) {
            return Optional.of(CANCELLED);
        }
        return Optional.empty();
    }
}
