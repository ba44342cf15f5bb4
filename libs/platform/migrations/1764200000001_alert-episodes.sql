-- Up Migration
-- An alert is an episode: one active alert per patient and rule (group), to which later
-- breaches attach as occurrences instead of opening alerts of their own. Idempotency moves
-- from the alert's trigger to the occurrence: a re-evaluated batch attaches nothing twice.
ALTER TABLE alerts
  ADD COLUMN episode_key text,
  ADD COLUMN occurrences integer NOT NULL DEFAULT 1,
  ADD COLUMN last_value double precision,
  ADD COLUMN last_measured_at timestamptz;
UPDATE alerts SET episode_key = rule_id, last_value = trigger_value, last_measured_at = trigger_measured_at;
-- Alerts raised before episodes may hold several active alerts per patient and rule: each older
-- one keeps a key of its own, so they stay as they were and the newest becomes the episode.
UPDATE alerts a SET episode_key = a.rule_id || ':' || a.id::text
WHERE a.status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated')
  AND EXISTS (
    SELECT 1 FROM alerts b
    WHERE b.patient_id = a.patient_id AND b.rule_id = a.rule_id AND b.sequence > a.sequence
      AND b.status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated'));
ALTER TABLE alerts
  ALTER COLUMN episode_key SET NOT NULL,
  ALTER COLUMN last_value SET NOT NULL,
  ALTER COLUMN last_measured_at SET NOT NULL,
  DROP CONSTRAINT alerts_rule_trigger_key;
CREATE UNIQUE INDEX alerts_active_episode_key ON alerts (patient_id, episode_key)
  WHERE status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated');

-- The readings that fed an alert, one row per breaching measurement and episode key.
CREATE TABLE alert_occurrences (
  alert_id uuid NOT NULL REFERENCES alerts (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  episode_key text NOT NULL,
  rule_id text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  device_id uuid NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  measured_at timestamptz NOT NULL,
  value double precision NOT NULL,
  unit text NOT NULL,
  batch_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, episode_key, device_id, message_id, type, measured_at)
);
CREATE INDEX alert_occurrences_alert_idx ON alert_occurrences (alert_id, measured_at);
INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id, type,
                               measured_at, value, unit, batch_id, created_at)
SELECT id, patient_id, episode_key, rule_id, severity, trigger_device_id, trigger_message_id, trigger_type,
       trigger_measured_at, trigger_value, trigger_unit, batch_id, created_at
FROM alerts
ON CONFLICT DO NOTHING;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
