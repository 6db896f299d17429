-- API keys for programs. The key itself is shown once and never kept: only its SHA-256 (lowercase
-- hex), which is how a key is found. A revoked key's row is deleted.
CREATE TABLE upload.api_keys (
    id           uuid        PRIMARY KEY,
    username     text        NOT NULL REFERENCES upload.accounts (username) ON DELETE CASCADE,
    name         text        NOT NULL,
    key_hash     text        NOT NULL UNIQUE,
    admin        boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Lazily: the services say a key was used at most once a minute each (auth.api-key-uses).
    last_used_at timestamptz
);
CREATE INDEX api_keys_by_user ON upload.api_keys (username, created_at);
