-- The language the engine heard (a multilingual Whisper model says; others leave it null): the
-- first chunk's while the job runs, the language of most chunks once it is assembled.
ALTER TABLE status.transcriptions ADD COLUMN language text;
