-- Events waiting to be published; written in the same transaction as the state they announce.
CREATE TABLE ${flyway:defaultSchema}.outbox (
    id           bigserial PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    topic        text        NOT NULL,
    partition_no integer,
    message_key  text        NOT NULL,
    event_type   text        NOT NULL,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
