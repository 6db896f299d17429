-- The node-progress view: the seed's transcription columns, one row per job, folded from events.
CREATE TABLE status.transcriptions (
    job_id       uuid PRIMARY KEY,
    node_id      bigint      NOT NULL,
    status       text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    stage        text,
    progress     integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    error        text,
    content      text,
    chunks_total integer,
    chunks_done  integer     NOT NULL DEFAULT 0,
    uploaded_at  timestamptz,
    started_at   timestamptz,
    completed_at timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX transcriptions_node ON status.transcriptions (node_id, uploaded_at DESC NULLS LAST);

-- Chunks finished so far, so progress counts real work whatever order chunks finish in.
CREATE TABLE status.chunks (
    job_id        uuid    NOT NULL,
    chunk_index   integer NOT NULL,
    text          text    NOT NULL,
    start_seconds double precision NOT NULL,
    end_seconds   double precision NOT NULL,
    PRIMARY KEY (job_id, chunk_index)
);
