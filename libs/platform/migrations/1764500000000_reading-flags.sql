-- Up Migration
-- Measurement-status bits a device raised with a reading (a Bluetooth LE cuff's irregular pulse,
-- body movement, cuff fit): a clinician reads the value differently with them. Nullable without
-- a default, which TimescaleDB allows on a compressed hypertable; NULL reads as "none".
ALTER TABLE readings ADD COLUMN flags text[];

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
