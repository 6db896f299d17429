-- An account being erased: it cannot sign in, its name stays taken until the status service says
-- it shows nothing of it any more (AccountViewCleared), then the row goes and the name is free.
ALTER TABLE upload.accounts ADD COLUMN erasing_since timestamptz;

-- The last token version of each erased account's name, under a hash of the name (not the name):
-- every service still refuses that account's tokens below it (auth.revocations), so a newcomer who
-- takes the name starts above it, or their own tokens would be refused too.
CREATE TABLE upload.retired_names (
    name_hash     bytea   PRIMARY KEY,
    token_version integer NOT NULL
);
