-- Up Migration
-- Alerts get a lifecycle: who owns one, until when it is snoozed, when it changed, and a row in
-- alert_events for every action (who, when, what), which is its history.
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check
  CHECK (status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated', 'resolved', 'dismissed'));
ALTER TABLE alerts
  ADD COLUMN assigned_to uuid REFERENCES users (id),
  ADD COLUMN snoozed_until timestamptz,
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE alert_events (
  id bigserial PRIMARY KEY,
  alert_id uuid NOT NULL REFERENCES alerts (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  actor_user_id uuid REFERENCES users (id),
  action text NOT NULL,
  from_status text NOT NULL,
  to_status text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, id);
CREATE INDEX alerts_assigned_idx ON alerts (organization_id, assigned_to, sequence DESC) WHERE assigned_to IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
