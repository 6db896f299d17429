-- Chunk texts live in storage now (texts/<node>/<job>/), the events and this table only point to
-- them: an erasure that removes the node's folder leaves no words in the log or here.
ALTER TABLE transcribe.chunk_texts RENAME COLUMN text TO text_path;
