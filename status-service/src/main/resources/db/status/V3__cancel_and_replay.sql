-- A job can be cancelled by its owner, and a failed one reopened by replaying its dead letters.
ALTER TABLE status.transcriptions DROP CONSTRAINT transcriptions_status_check;
ALTER TABLE status.transcriptions ADD CONSTRAINT transcriptions_status_check
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled'));
-- When the job was last put back to work by a replay; its time limit counts from then.
ALTER TABLE status.transcriptions ADD COLUMN replayed_at timestamptz;

-- Dead letters already put back on their topic, so that replaying a topic again sends only the new ones.
-- Not part of the view: a rebuild leaves it alone.
CREATE TABLE status.replayed_dead_letters (
    topic       text        NOT NULL,
    partition_no integer    NOT NULL,
    record_offset bigint    NOT NULL,
    job_id      uuid        NOT NULL,
    replayed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition_no, record_offset)
);
