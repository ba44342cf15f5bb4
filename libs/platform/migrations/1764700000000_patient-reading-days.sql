-- Up Migration
-- Adherence counts a patient's local calendar days with a reading. Counting distinct days over
-- readings reads every reading of the window (about 2 M at 10 M readings: 1-2 s); this rollup
-- holds one row per patient and local day with any reading (bench/FINDINGS.md, "Adherence").
-- A plain table, not a continuous aggregate: the day depends on the patient's zone, and
-- continuous aggregates need the Timescale License. Its writers keep it true:
--   1. ingest adds the days of each batch in the batch's transaction (ReadingRepository.addReadingDays);
--   2. a change of patients.time_zone recomputes that patient's days (the trigger below);
--   3. code that writes readings another way (bench seeding, test fixtures) refreshes it after.
-- Every vital type counts, so there is no type column. Readings dropped by the 10-year retention
-- policy leave their days here: only the last 30 days are ever asked for.
CREATE TABLE patient_reading_days (
  patient_id uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  day date NOT NULL,
  PRIMARY KEY (patient_id, day)
);

-- The day in the zone adherence uses: the patient's, UTC when it has none (ReadingSummaryService).
INSERT INTO patient_reading_days (patient_id, day)
SELECT DISTINCT r.patient_id, (r.measured_at AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date
FROM readings r JOIN patients p ON p.id = r.patient_id
ON CONFLICT DO NOTHING;

-- A patient whose zone changes has other local days: recompute them in the same transaction,
-- whichever code changes the zone (today only the demo upsert, which gives old demo patients
-- theirs). A row trigger on patients costs nothing on the readings hot path; the patients domain
-- cannot call monitoring's code to do it itself.
-- The SHARE ROW EXCLUSIVE lock waits for ingest transactions that already added days in the old
-- zone, and holds back the next ones until this commits, so that they read the new zone; the
-- statements below then see every committed reading.
CREATE FUNCTION patient_reading_days_rezone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE patient_reading_days IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM patient_reading_days WHERE patient_id = NEW.id;
  INSERT INTO patient_reading_days (patient_id, day)
  SELECT DISTINCT NEW.id, (r.measured_at AT TIME ZONE coalesce(NEW.time_zone, 'UTC'))::date
  FROM readings r WHERE r.patient_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER patients_time_zone_rezone
  AFTER UPDATE OF time_zone ON patients
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION patient_reading_days_rezone();

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
