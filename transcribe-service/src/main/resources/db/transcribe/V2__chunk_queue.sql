-- Chunks waiting for a transcribe consumer, and those dealt out to one: the dispatcher's queue.
-- state: waiting (on audio.chunks.waiting only), released (put on audio.chunks, partition_no),
-- failed (its job failed: no longer counted as in flight).
CREATE TABLE transcribe.chunk_queue (
    job_id       uuid        NOT NULL,
    chunk_index  integer     NOT NULL,
    event_id     uuid        NOT NULL,
    node_id      bigint      NOT NULL,
    user_id      text        NOT NULL,
    event        bytea       NOT NULL,
    state        text        NOT NULL DEFAULT 'waiting',
    partition_no integer,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz,
    PRIMARY KEY (job_id, chunk_index)
);
CREATE INDEX chunk_queue_waiting ON transcribe.chunk_queue (queued_at) WHERE state = 'waiting';
CREATE INDEX chunk_queue_released ON transcribe.chunk_queue (user_id) WHERE state = 'released';

-- Whose each job is (from audio.uploaded): chunks are dealt out fairly among users, then jobs.
CREATE TABLE transcribe.job_owners (
    job_id  uuid PRIMARY KEY,
    user_id text NOT NULL
);

-- The last queue position told for a job still waiting for its first chunk.
CREATE TABLE transcribe.queue_positions (
    job_id   uuid PRIMARY KEY,
    position integer NOT NULL
);

-- Users served before others: a weight of 3 gets three chunks in flight for every one of a user of
-- weight 1 while both have chunks waiting. From HARK_PRIORITY_USERS (source 'setting', written at
-- start) or from an admin (source 'admin', from accounts.priorities), whose word wins.
CREATE TABLE transcribe.user_priorities (
    user_id text PRIMARY KEY,
    weight  integer NOT NULL CHECK (weight >= 1),
    source  text    NOT NULL
);
