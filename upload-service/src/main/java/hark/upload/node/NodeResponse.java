package hark.upload.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The original design's JSON for a node. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeResponse(
        long id,
        @JsonProperty("parent_id") Long parentId,
        @JsonProperty("audio_original_url") String audioOriginalUrl,
        String content,
        @JsonProperty("node_type") String nodeType,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("transcription_status") String transcriptionStatus,
        @JsonProperty("transcription_task_id") UUID transcriptionTaskId,
        String title) {

    /**
     * Straight after an upload the job is pending by definition; later, the status service is
     * the one that knows, so reads of an audio node leave the status to it.
     */
    static NodeResponse of(Node node, String status) {
        return new NodeResponse(
                node.id(),
                node.parentId(),
                node.audioUrl(),
                node.content(),
                node.nodeType(),
                node.createdAt(),
                status,
                node.transcriptionTaskId(),
                node.title());
    }
}
