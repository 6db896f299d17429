-- Note titles, one per node, folded from AudioUploaded's title and NoteRetitled: the newest event
-- (by occurredAt) wins, as the two travel on different topics. Erasing the node removes its title.
CREATE TABLE status.titles (
    node_id   bigint      PRIMARY KEY,
    user_id   text        NOT NULL,
    title     text        NOT NULL,
    titled_at timestamptz NOT NULL,
    search    tsvector    GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED
);

CREATE INDEX titles_user ON status.titles (user_id);
CREATE INDEX titles_search ON status.titles USING gin (search);

-- The transcript's words, kept so that a search does not parse thousands of long transcripts on
-- every request. The 'simple' configuration (no stemming, no stop words) works for every language.
-- Only the first 250,000 characters (some five hours of speech) are indexed: a tsvector's words may
-- take at most 1 MB, and 250,000 characters are at most 1,000,000 bytes of UTF-8, so no transcript
-- can fail its row's insert here.
ALTER TABLE status.transcriptions
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(coalesce(content, ''), 250000))) STORED;

CREATE INDEX transcriptions_search ON status.transcriptions USING gin (search);
