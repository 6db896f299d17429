-- A job waiting for a transcribe consumer (stage 'queued'): how many jobs get one before it does.
ALTER TABLE status.transcriptions ADD COLUMN queue_position integer;
