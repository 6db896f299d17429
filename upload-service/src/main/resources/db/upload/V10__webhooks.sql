-- Webhooks: a callback address an upload may name, each user's signing secret and default
-- address, and every call Hark owes and has tried.

-- Named by the upload's callback_url form field; kept here, never in an event, so no address
-- travels through Kafka. A retry of the node's job calls it too.
ALTER TABLE upload.nodes ADD COLUMN callback_url text;

-- The signing key is the secret itself (HMAC needs it to sign; a hash would not do), shown once
-- when made and never again. Kept out of events and logs; see docs/security.md.
CREATE TABLE upload.webhook_settings (
    user_id           text        PRIMARY KEY,
    signing_key       bytea,
    secret_created_at timestamptz,
    default_url       text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One call per job and outcome: the unique key is what makes a redelivered event send nothing
-- more. The body is fixed when the row is made, so every attempt sends the same bytes under the
-- same webhook-id. A row is due when next_attempt_at has passed; a sender that claims it pushes
-- next_attempt_at out by a lease, so a sender killed mid-send leaves it due again after the lease.
CREATE TABLE upload.webhook_deliveries (
    id              uuid        PRIMARY KEY,
    job_id          uuid        NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('completed', 'failed', 'cancelled')),
    user_id         text        NOT NULL,
    node_id         bigint      NOT NULL,
    url             text        NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    UNIQUE (job_id, outcome)
);
CREATE INDEX webhook_deliveries_due ON upload.webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_user ON upload.webhook_deliveries (user_id, created_at DESC);

-- Each try: when, how long, and the receiver's HTTP status or why there was none. A try whose
-- finished_at is null was cut off (the sender stopped mid-send).
CREATE TABLE upload.webhook_attempts (
    delivery_id uuid        NOT NULL REFERENCES upload.webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    duration_ms bigint,
    http_status integer,
    error       text,
    PRIMARY KEY (delivery_id, attempt)
);
