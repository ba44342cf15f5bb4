-- Up Migration
-- A hypertensive-crisis reading first asks the patient to re-measure: its alert waits in
-- `pending_confirmation` until `confirm_by`, and `confirmation` records how that ended
-- (`confirmed` by a breaching re-measurement, `unanswered` when none came in time, both then
-- `open`; `not_confirmed` when the re-measurement was below crisis level, then `resolved`).
ALTER TABLE alerts
  ADD COLUMN confirm_by timestamptz,
  ADD COLUMN confirmation text
    CHECK (confirmation IN ('pending', 'confirmed', 'unanswered', 'not_confirmed'));
-- The sweep that confirms alerts whose delayed job was lost looks only at waiting ones.
CREATE INDEX alerts_pending_confirmation_idx ON alerts (confirm_by) WHERE status = 'pending_confirmation';

-- Commands to devices, written in the transaction that decides them (PostgreSQL is the source
-- of truth) and published on v1/devices/{device_id}/commands after the commit. `sent_at` stays
-- null while no broker took the command; the confirmation sweep sends those again.
CREATE TABLE device_commands (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES devices (id),
  alert_id uuid REFERENCES alerts (id),
  command text NOT NULL CHECK (command IN ('remeasure')),
  payload jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX device_commands_unsent_idx ON device_commands (expires_at) WHERE sent_at IS NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
