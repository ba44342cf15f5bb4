-- Up Migration

-- A message id is a message's identity for its device: stored once, whatever its measuredAt.
-- readings cannot carry that key itself (TimescaleDB wants the time column in every unique
-- index on a hypertable), so this plain table is the ledger ingest claims each message in.
-- content_hash tells a redelivery (same contents: a duplicate) from a different message
-- under a reused id (recorded as a conflicting_duplicate rejection).
CREATE TABLE device_messages (
  device_id uuid NOT NULL,
  message_id text NOT NULL,
  -- NULL for messages stored before the ledger existed: they count as plain duplicates.
  content_hash bytea,
  measured_at timestamptz NOT NULL,
  batch_id uuid NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, message_id)
);

INSERT INTO device_messages (device_id, message_id, content_hash, measured_at, batch_id, received_at)
SELECT DISTINCT ON (device_id, message_id) device_id, message_id, NULL, measured_at, batch_id, received_at
FROM readings
ORDER BY device_id, message_id, measured_at;

-- The ledger is now the de-duplication key: readings are inserted only for a message whose
-- ledger row the same transaction created (a concurrent claim of the same key waits for the
-- other transaction, then finds it taken). The old per-reading unique index only cost every
-- insert (a third of ingest's database time) and a third of the table's size; hypertables
-- need no unique index at all now.
DROP INDEX readings_dedup_key;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
