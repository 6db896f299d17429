-- A note's title, shown in the list and searched with the transcript. Null for notes made before
-- titles, and for an upload with neither a title nor a file name. Checked here as well as in the
-- API: at most 200 characters (code points, as char_length counts them).
ALTER TABLE upload.nodes ADD COLUMN title text CHECK (title IS NULL OR char_length(title) BETWEEN 1 AND 200);
