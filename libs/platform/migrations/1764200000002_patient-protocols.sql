-- Up Migration
-- The protocol templates (hypertension, heart_failure, copd, diabetes) a patient's rules come
-- from; a patient without any keeps the default thresholds.
CREATE TABLE patient_protocols (
  patient_id uuid NOT NULL REFERENCES patients (id),
  protocol_key text NOT NULL CHECK (protocol_key IN ('hypertension', 'heart_failure', 'copd', 'diabetes')),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  set_by uuid REFERENCES users (id),
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, protocol_key)
);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
