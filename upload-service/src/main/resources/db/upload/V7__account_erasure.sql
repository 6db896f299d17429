-- An account being erased: it cannot sign in, its name stays taken until the status service says
-- it shows nothing of it any more (AccountViewCleared), then the row goes and the name is free.
ALTER TABLE upload.accounts ADD COLUMN erasing_since timestamptz;
