-- Nodes their owner (or an admin) erased: only the ids, never what they held. The view folds no
-- event of theirs from then on (a late or replayed one included), and a rebuild refills this table
-- from the RecordingErased events in the log, so an erased recording never comes back.
CREATE TABLE status.erased_nodes (
    node_id   bigint      PRIMARY KEY,
    erased_at timestamptz NOT NULL DEFAULT now()
);
