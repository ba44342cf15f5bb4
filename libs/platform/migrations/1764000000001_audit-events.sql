-- Up Migration

-- Every access to patient data, allowed or denied. Append-only: nothing updates or deletes it.
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  organization_id uuid NOT NULL,
  actor_user_id uuid NOT NULL,
  actor_role text NOT NULL,
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id text,
  patient_id uuid,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
  request_id text
);
CREATE INDEX audit_events_patient_idx ON audit_events (patient_id, occurred_at DESC) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, occurred_at DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at DESC);

-- Down Migration
-- Forward-only.
