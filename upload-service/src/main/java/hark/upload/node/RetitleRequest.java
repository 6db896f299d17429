package hark.upload.node;

import io.swagger.v3.oas.annotations.media.Schema;

/** A note's new name, sent with PATCH. */
public record RetitleRequest(
        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                minLength = 1,
                maxLength = NoteTitle.MAX_LENGTH,
                description = "Trimmed; no control characters.")
        String title) {}
