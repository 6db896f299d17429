-- Audio nodes imported from the original system have no transcription job. The seed's rules
-- decide their status: a real transcript means completed, the placeholder means the old
-- synchronous run died. The status view is built from events only, so the rule is announced
-- as events through the outbox, in this same transaction.
UPDATE upload.nodes
SET transcription_task_id = gen_random_uuid()
WHERE audio_original_url IS NOT NULL
  AND transcription_task_id IS NULL;

INSERT INTO upload.outbox (event_id, topic, message_key, event_type, payload)
SELECT e.event_id, e.topic, n.transcription_task_id::text, e.event_type, convert_to(e.body::text, 'UTF8')
FROM upload.nodes n
CROSS JOIN LATERAL (
    SELECT gen_random_uuid() AS event_id,
           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
) m
CROSS JOIN LATERAL (
    SELECT CASE WHEN n.content <> '[Voice note – transcription pending]'
                THEN 'transcript.assembled' ELSE 'job.progress' END AS topic,
           CASE WHEN n.content <> '[Voice note – transcription pending]'
                THEN 'TranscriptAssembled' ELSE 'StageFailed' END AS event_type,
           m.event_id,
           CASE WHEN n.content <> '[Voice note – transcription pending]'
                THEN json_build_object('eventId', m.event_id, 'jobId', n.transcription_task_id, 'nodeId', n.id,
                                       'occurredAt', m.at, 'schemaVersion', 1, 'text', n.content,
                                       'chunkCount', 1, 'engine', 'legacy')
                ELSE json_build_object('eventId', m.event_id, 'jobId', n.transcription_task_id, 'nodeId', n.id,
                                       'occurredAt', m.at, 'schemaVersion', 1, 'stage', 'legacy',
                                       'reason', 'Legacy transcription failed', 'permanent', true)
           END AS body
) e
WHERE n.audio_original_url IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM upload.outbox o WHERE o.message_key = n.transcription_task_id::text);
