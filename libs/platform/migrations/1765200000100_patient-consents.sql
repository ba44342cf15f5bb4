-- Up Migration

-- A patient's consents, one row per consent given; revoking keeps the row. Ingest asks, in the
-- statement that stores a batch, whether the patient has an active `rpm_monitoring` consent;
-- video visits ask for `video_visits`.
CREATE TABLE patient_consents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  scope text NOT NULL
    CHECK (scope IN ('rpm_monitoring', 'video_visits', 'share_with_caregiver', 'data_sharing_research')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  method text NOT NULL CHECK (method IN ('written', 'verbal', 'electronic', 'legacy')),
  given_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES users (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  document_reference text,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id),
  revoke_reason text,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX patient_consents_patient_idx ON patient_consents (patient_id, recorded_at);
CREATE INDEX patient_consents_active_idx ON patient_consents (patient_id, scope) WHERE status = 'active';

-- Patients registered before consent was recorded keep being monitored and seen: their
-- consent is taken as given when they were registered, marked `legacy`.
INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at, recorded_by)
SELECT p.organization_id, p.id, s.scope, 'legacy', p.created_at, NULL
FROM patients p CROSS JOIN (VALUES ('rpm_monitoring'), ('video_visits')) AS s (scope);

-- Down Migration
-- Forward-only.
