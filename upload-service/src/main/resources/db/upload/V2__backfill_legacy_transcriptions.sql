-- Audio nodes imported from the original system have no transcription job. The seed's rules
-- decide their status: a real transcript means completed, the placeholder means the old
-- synchronous run died. The status view is built from events only, so the rule is announced
-- as events through the outbox, in this same transaction.
UPDATE upload.nodes
SET transcription_task_id = gen_random_uuid()
WHERE audio_original_url IS NOT NULL
  AND transcription_task_id IS NULL;

WITH legacy AS (
    SELECT n.id,
           n.content,
           n.transcription_task_id AS job_id,
           md5(n.transcription_task_id::text || '/legacy')::uuid AS event_id,
           n.content <> '[Voice note – transcription pending]' AS transcribed,
           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM upload.nodes n
    WHERE n.audio_original_url IS NOT NULL
)
INSERT INTO upload.outbox (event_id, topic, message_key, event_type, payload)
SELECT event_id,
       CASE WHEN transcribed THEN 'transcript.assembled' ELSE 'job.progress' END,
       job_id::text,
       CASE WHEN transcribed THEN 'TranscriptAssembled' ELSE 'StageFailed' END,
       convert_to(CASE WHEN transcribed
           THEN json_build_object('eventId', event_id, 'jobId', job_id, 'nodeId', id, 'occurredAt', at,
                                  'schemaVersion', 1, 'text', content, 'chunkCount', 1, 'engine', 'legacy')
           ELSE json_build_object('eventId', event_id, 'jobId', job_id, 'nodeId', id, 'occurredAt', at,
                                  'schemaVersion', 1, 'stage', 'legacy', 'reason', 'Legacy transcription failed',
                                  'permanent', true)
       END::text, 'UTF8')
FROM legacy
ON CONFLICT (event_id) DO NOTHING;
