-- Whether the node's current transcription job failed: only then may its owner retry it.
ALTER TABLE upload.nodes ADD COLUMN transcription_failed boolean NOT NULL DEFAULT false;
