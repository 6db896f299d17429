-- Admin is granted on the server (the operator's HARK_ADMIN_PASSWORD, or another admin), never
-- taken from a user name.
ALTER TABLE upload.accounts ADD COLUMN admin boolean NOT NULL DEFAULT false;
-- Raised to end every sign-in of the account at once (password changed, admin withdrawn): tokens
-- carry the version they were signed with, and older ones are refused.
ALTER TABLE upload.accounts ADD COLUMN token_version integer NOT NULL DEFAULT 0;

-- Token buckets of the rate limits (Bucket4j's layout), shared by every upload-service instance.
-- A bucket that has refilled is dropped (expires_at, in epoch milliseconds).
CREATE TABLE upload.rate_limits (
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
CREATE INDEX rate_limits_expiry ON upload.rate_limits (expires_at);
