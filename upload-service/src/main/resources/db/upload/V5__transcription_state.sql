-- Where the node's current transcription job is, as far as the upload service needs to know:
-- cancel needs a running job, retry a failed or cancelled one, reprocess any that is not running.
ALTER TABLE upload.nodes ADD COLUMN transcription_state text
    CHECK (transcription_state IN ('running', 'completed', 'failed', 'cancelled'));
UPDATE upload.nodes SET transcription_state = CASE
        WHEN transcription_failed THEN 'failed'
        WHEN content IS DISTINCT FROM '[Voice note – transcription pending]' THEN 'completed'
        ELSE 'running' END
    WHERE transcription_task_id IS NOT NULL;
ALTER TABLE upload.nodes DROP COLUMN transcription_failed;
-- When the original recording was removed by the audio retention; the node stays.
ALTER TABLE upload.nodes ADD COLUMN audio_deleted_at timestamptz;
