-- Up Migration
-- An alert is an episode keyed by patient and rule group, not by one reading: a `missed`
-- alert (no reading of a type for N hours) has no triggering reading, no batch and no breaching
-- value. The trigger is whole or absent.
ALTER TABLE alerts
  ALTER COLUMN trigger_type DROP NOT NULL,
  ALTER COLUMN trigger_value DROP NOT NULL,
  ALTER COLUMN trigger_unit DROP NOT NULL,
  ALTER COLUMN trigger_measured_at DROP NOT NULL,
  ALTER COLUMN trigger_device_id DROP NOT NULL,
  ALTER COLUMN trigger_message_id DROP NOT NULL,
  ALTER COLUMN batch_id DROP NOT NULL,
  ALTER COLUMN last_value DROP NOT NULL,
  ALTER COLUMN last_measured_at DROP NOT NULL,
  ADD CONSTRAINT alerts_trigger_whole CHECK (
    num_nulls(trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id, trigger_message_id) IN (0, 6)),
  -- The start of the gap a missed alert reports: the last reading of the type, else when
  -- monitoring started. A gap is raised once, whatever happens to its alert afterwards.
  ADD COLUMN missed_since timestamptz;
CREATE UNIQUE INDEX alerts_missed_gap_key ON alerts (patient_id, episode_key, missed_since)
  WHERE missed_since IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
