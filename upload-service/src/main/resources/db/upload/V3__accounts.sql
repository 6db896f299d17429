-- People who sign in. The password is kept only as a bcrypt hash.
CREATE TABLE upload.accounts (
    username      text        PRIMARY KEY,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
