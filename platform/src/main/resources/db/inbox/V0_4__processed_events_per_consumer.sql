-- Each consumer remembers what it applied on its own: two stages of one service that read the same
-- event each apply it once. Rows from before name no consumer (''); they count for every consumer.
ALTER TABLE ${flyway:defaultSchema}.processed_events ADD COLUMN consumer text NOT NULL DEFAULT '';
ALTER TABLE ${flyway:defaultSchema}.processed_events DROP CONSTRAINT processed_events_pkey;
ALTER TABLE ${flyway:defaultSchema}.processed_events ADD PRIMARY KEY (consumer, event_id);
ALTER TABLE ${flyway:defaultSchema}.processed_events ALTER COLUMN consumer DROP DEFAULT;
