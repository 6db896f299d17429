-- The text of each transcribed chunk, kept until its job's transcript is assembled.
CREATE TABLE transcribe.chunk_texts (
    job_id      uuid    NOT NULL,
    chunk_index integer NOT NULL,
    chunk_count integer NOT NULL,
    node_id     bigint  NOT NULL,
    text        text    NOT NULL,
    engine      text    NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, chunk_index)
);

-- One row per assembled job: the guard that makes assembly happen exactly once.
CREATE TABLE transcribe.assembled_jobs (
    job_id       uuid PRIMARY KEY,
    assembled_at timestamptz NOT NULL DEFAULT now()
);
