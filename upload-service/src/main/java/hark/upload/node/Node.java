package hark.upload.node;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code upload.nodes}: a voice note or a text. */
public record Node(
        long id,
        String userId,
        Long parentId,
        String nodeType,
        String content,
        String audioPath,
        String audioMimeType,
        Long audioSizeBytes,
        UUID transcriptionTaskId,
        TranscriptionState transcriptionState,
        OffsetDateTime createdAt,
        OffsetDateTime audioDeletedAt,
        String title) {

    public static final String PENDING_PLACEHOLDER = "[Voice note – transcription pending]";
    public static final String CANCELLED_PLACEHOLDER = "[Voice note – transcription cancelled]";

    public boolean isAudio() {
        return audioPath != null;
    }

    public String audioUrl() {
        return isAudio() ? "/api/nodes/" + id + "/audio" : null;
    }
}
