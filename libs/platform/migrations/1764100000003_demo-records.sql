-- Up Migration

-- The demo seed finds its own patients by this key and touches no others: a patient a user
-- creates (NULL here) never gets its devices revoked or replaced by a restarted demo.
-- Patients seeded before this migration stay unmarked and are left alone.
ALTER TABLE patients ADD COLUMN demo_key text;

CREATE UNIQUE INDEX patients_demo_key ON patients (organization_id, demo_key) WHERE demo_key IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
