package hark.upload.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A plain text node, posted as JSON. */
public record TextNodeRequest(
        String content,
        @JsonProperty("parent_id") Long parentId,
        @JsonProperty("node_type") String nodeType) {}
