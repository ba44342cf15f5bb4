-- Up Migration
-- A patient's IANA time zone: the console shows the patient's local time beside the user's, and
-- adherence counts the patient's calendar days. NULL reads as UTC. The CHECK asks PostgreSQL
-- itself (which evaluates the adherence query) whether it knows the zone: an unknown name fails
-- the insert with 22023, a 400, instead of failing every later worklist query.
ALTER TABLE patients
  ADD COLUMN time_zone text
    CONSTRAINT patients_time_zone_known
    CHECK (time_zone IS NULL OR (timestamptz '2000-01-01 00:00:00+00' AT TIME ZONE time_zone) IS NOT NULL);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
