-- Up Migration
-- What an `implausible_value` rejection refused, and whose it was: alerting raises an `info`
-- notice for the device's patient from it ("implausible SpO2 12 % — check the device"). NULL for
-- every other reason, and for rejections stored before this migration.
ALTER TABLE reading_rejections
  ADD COLUMN patient_id uuid,
  ADD COLUMN vital_type text,
  ADD COLUMN vital_value float8,
  ADD COLUMN vital_unit text;

-- A stored message whose Bluetooth time stamp was a whole number of hours from the hub's
-- receivedAt (`clock_suspect`): device lists show the device's clock as suspect. NULL reads as
-- "not suspect" (JSON messages, untimed measurements, messages stored before this migration).
ALTER TABLE device_messages ADD COLUMN clock_suspect boolean;

-- Device notices raised: one per device, kind and day in the patient's zone, whatever becomes of
-- the alert (resolved the same day, the next rejection raises nothing), so a retried or repeated
-- job never raises a second. `alert_id` is NULL when an active alert of the kind already told.
CREATE TABLE device_notices (
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  kind text NOT NULL,
  day date NOT NULL,
  alert_id uuid REFERENCES alerts (id) ON DELETE SET NULL,
  rejection_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, kind, day)
);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
