-- The Idempotency-Key of each keyed upload, so that a client's retry of the same upload answers the
-- node the first one made instead of making a second. The key is the client's own string and only
-- means something per user: two users may use the same key. The digest is a SHA-256 of what was
-- uploaded (the file's bytes and the form fields that shape the node); a retry with another body
-- under the same key is refused, not answered with a node made from something else.
-- A row goes with its node (ON DELETE CASCADE): the digest fingerprints the recording, and an
-- erased recording leaves no trace. Rows older than a day no longer count and are swept.
CREATE TABLE upload.idempotency_keys (
    user_id        text        NOT NULL,
    key            text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_digest bytea       NOT NULL,
    node_id        bigint      NOT NULL REFERENCES upload.nodes (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_node ON upload.idempotency_keys (node_id);
CREATE INDEX idempotency_keys_created ON upload.idempotency_keys (created_at);
