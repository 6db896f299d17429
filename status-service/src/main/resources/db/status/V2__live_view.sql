-- What the live view needs beyond the seed's columns: the owner (listing), the pace (ETA), the
-- watchdog's clock, and every change (the live stream and its resume).
ALTER TABLE status.transcriptions
    ADD COLUMN user_id               text,
    ADD COLUMN transcribe_started_at timestamptz,
    ADD COLUMN last_chunk_at         timestamptz,
    ADD COLUMN last_event_at         timestamptz,
    ADD COLUMN duration_seconds      double precision;

CREATE INDEX transcriptions_user ON status.transcriptions (user_id, uploaded_at DESC NULLS LAST);
CREATE INDEX transcriptions_live ON status.transcriptions (last_event_at) WHERE status IN ('pending', 'processing');

-- Timed segments of each chunk, on the recording's timeline, for subtitles.
ALTER TABLE status.chunks ADD COLUMN segments jsonb NOT NULL DEFAULT '[]';

-- Every change of a job's view as the polling API would have answered it; seq is the SSE event id.
CREATE TABLE status.changes (
    seq     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id  uuid        NOT NULL,
    node_id bigint      NOT NULL,
    state   jsonb       NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX changes_node ON status.changes (node_id, seq);
