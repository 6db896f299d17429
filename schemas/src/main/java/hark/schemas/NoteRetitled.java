package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * The owner renamed a voice note. Only the status view keeps titles; every other reader of
 * {@link Topics#JOB_PROGRESS} passes it by. {@code jobId} is the node's current job, so the event
 * travels keyed (and ordered) with that job's other events. A text node has no job and no event.
 *
 * @param titlePath where the new title is kept in storage: a claim check, as for transcripts, so that
 *     the log holds no words of anyone's and erasing the node's texts erases its titles too
 */
public record NoteRetitled(
        UUID eventId, UUID jobId, long nodeId, Instant occurredAt, int schemaVersion, String userId, String titlePath)
        implements HarkEvent {

    /** Each rename writes its title to a path of its own, so the path makes the id of each rename unique. */
    public static NoteRetitled of(UUID jobId, long nodeId, String userId, String titlePath) {
        return new NoteRetitled(
                EventIds.of(jobId, "retitled", nodeId, titlePath),
                jobId,
                nodeId,
                Instant.now(),
                SCHEMA_VERSION,
                userId,
                titlePath);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.noteRetitled(this);
    }
}
