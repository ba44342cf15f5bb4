-- Up Migration
-- Per-patient overrides of a protocol or default rule. Append-only: every change is a new
-- version (a null definition ends the override), so what a patient was evaluated by at any
-- time can be shown. The latest version of a rule is in force until it expires.
CREATE TABLE patient_rule_overrides (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  rule_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb,
  reason text NOT NULL,
  owner_id uuid REFERENCES users (id),
  expires_at timestamptz,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, rule_id, version)
);

-- The rule version that raised an alert, or that a breach attached under: 0 is the rule as
-- its protocol (or the default thresholds) publishes it, n the patient's override version n.
ALTER TABLE alerts ADD COLUMN rule_version integer NOT NULL DEFAULT 0;
ALTER TABLE alert_occurrences ADD COLUMN rule_version integer NOT NULL DEFAULT 0;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
