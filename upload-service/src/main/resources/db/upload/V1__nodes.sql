-- The nodes of the original system: a voice note or text, in a tree.
CREATE TABLE upload.nodes (
    id                    bigserial PRIMARY KEY,
    user_id               text        NOT NULL,
    parent_id             bigint REFERENCES upload.nodes (id),
    node_type             text        NOT NULL DEFAULT 'user',
    content               text        NOT NULL,
    audio_original_url    text,
    audio_path            text,
    audio_mime_type       text,
    audio_size_bytes      bigint,
    transcription_task_id uuid,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX nodes_user ON upload.nodes (user_id, created_at DESC);
CREATE UNIQUE INDEX nodes_task ON upload.nodes (transcription_task_id);
