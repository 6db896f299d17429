-- Events already applied, so that redelivery and replay change nothing.
CREATE TABLE ${flyway:defaultSchema}.processed_events (
    event_id     uuid        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
