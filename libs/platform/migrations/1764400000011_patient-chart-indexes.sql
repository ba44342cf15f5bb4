-- Up Migration
-- A patient's chart marks the breaching readings of a time window: by patient and time, not
-- through the primary key's episode columns. Breaches are rare next to readings, so the write
-- cost is small.
CREATE INDEX alert_occurrences_patient_time_idx ON alert_occurrences (patient_id, measured_at);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
