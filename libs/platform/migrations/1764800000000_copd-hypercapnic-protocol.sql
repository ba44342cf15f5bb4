-- Up Migration
-- COPD with hypercapnic respiratory failure gets its own template (SpO2 scale 2, target 88-92 %,
-- BTS 2017); `copd` now keeps SpO2 scale 1, as the BTS recommends for other COPD patients.
ALTER TABLE patient_protocols DROP CONSTRAINT patient_protocols_protocol_key_check;
ALTER TABLE patient_protocols ADD CONSTRAINT patient_protocols_protocol_key_check
  CHECK (protocol_key IN ('hypertension', 'heart_failure', 'copd', 'copd_hypercapnic', 'diabetes'));

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
