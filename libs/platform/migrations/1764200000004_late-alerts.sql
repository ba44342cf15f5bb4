-- Up Migration
-- An alert raised by a reading that reached us long after it was measured describes the past:
-- it is marked late and never pushed as a new alert.
ALTER TABLE alerts ADD COLUMN late boolean NOT NULL DEFAULT false;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
