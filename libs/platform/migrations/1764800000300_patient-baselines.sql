-- Up Migration
-- The values a patient's rules compare with (a heart-failure patient's dry weight). Append-only
-- like patient_rule_overrides: every change is a new version, a null value clears it, and the
-- latest version is in force, so what a weight was compared with at any time can be shown.
-- The range is the vitals catalogue's plausible body weight (libs/contracts vitals.catalog.ts).
CREATE TABLE patient_baselines (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  version integer NOT NULL CHECK (version >= 1),
  dry_weight_kg numeric(5, 2) CHECK (dry_weight_kg BETWEEN 0.5 AND 500),
  set_by uuid REFERENCES users (id),
  note text CHECK (char_length(note) <= 500),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, version)
);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
