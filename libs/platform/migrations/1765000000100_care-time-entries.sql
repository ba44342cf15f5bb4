-- Up Migration
-- The care-time ledger billing will count (issue 20): minutes spent on a patient's care. Entries
-- are never edited, only voided with a reason, so what was counted at any time can be shown.
-- video_visit entries are written by the telehealth domain, once per visit: the unique partial
-- index on visit_id makes a repeat a no-op. visit_id has no foreign key yet (the visits table
-- arrives with telehealth, whose migration may add one).
CREATE TABLE care_time_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  kind text NOT NULL CONSTRAINT care_time_entries_kind CHECK (kind IN ('call', 'review', 'other', 'video_visit')),
  interactive boolean NOT NULL,
  seconds integer NOT NULL CONSTRAINT care_time_entries_seconds CHECK (seconds > 0),
  performed_at timestamptz NOT NULL,
  performed_by uuid REFERENCES users (id),
  visit_id uuid,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  voided_at timestamptz,
  voided_by uuid REFERENCES users (id),
  void_reason text,
  CONSTRAINT care_time_entries_visit_kind CHECK ((kind = 'video_visit') = (visit_id IS NOT NULL)),
  CONSTRAINT care_time_entries_void_reason CHECK ((voided_at IS NULL) = (void_reason IS NULL))
);

CREATE INDEX care_time_entries_patient_performed ON care_time_entries (patient_id, performed_at);
CREATE UNIQUE INDEX care_time_entries_visit ON care_time_entries (visit_id) WHERE visit_id IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
