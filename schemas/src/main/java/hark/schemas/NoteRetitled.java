package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The owner renamed a voice note. Only the status view keeps titles; every other reader of
 * {@link Topics#JOB_PROGRESS} passes it by. {@code jobId} is the node's current job, so the event
 * travels keyed (and ordered) with that job's other events. A text node has no job and no event.
 *
 * @param title the new title: trimmed, 1 to 200 characters, no control characters
 */
public record NoteRetitled(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, String userId, String title)
        implements HarkEvent {

    /**
     * The id is derived from the moment as well as the title: renaming a note back to an earlier
     * title is a new event, which an id from the title alone would have made a repeat to be dropped.
     */
    public static NoteRetitled of(UUID jobId, long nodeId, String userId, String title) {
        Instant at = Instant.now();
        return new NoteRetitled(
                EventIds.of(jobId, "retitled", nodeId, at, title), jobId, nodeId, at, SCHEMA_VERSION, userId, title);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.noteRetitled(this);
    }
}
