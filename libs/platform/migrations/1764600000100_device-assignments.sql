-- Up Migration
-- Which patient a device was with, and since when: ingest attributes each reading to the patient
-- the device was assigned to when it was measured, so a hub's backlog uploaded after the device
-- was reassigned still goes to the patient who took it. The first row of a device dates from its
-- registration; a measurement stamped earlier (a device clock set wrong) goes to that patient.
CREATE TABLE device_assignments (
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  patient_id uuid NOT NULL REFERENCES patients (id),
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, assigned_at)
);
INSERT INTO device_assignments (device_id, patient_id, assigned_at)
  SELECT id, patient_id, created_at FROM devices;

-- One number that changes whenever any device's patient or deactivation changes: ingest keeps
-- devices' routes in memory and compares this once per batch, so a reassignment or deactivation
-- takes effect on the next batch in every ingest process, without a message bus.
CREATE TABLE device_route_changes (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO device_route_changes (singleton, version) VALUES (true, 0);

-- Triggers, so that no path that writes devices (API, demo seed, tests) can forget either.
CREATE FUNCTION devices_track_routes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO device_assignments (device_id, patient_id, assigned_at)
      VALUES (NEW.id, NEW.patient_id, NEW.created_at);
    RETURN NEW;
  END IF;
  IF NEW.patient_id IS DISTINCT FROM OLD.patient_id THEN
    INSERT INTO device_assignments (device_id, patient_id, assigned_at)
      VALUES (NEW.id, NEW.patient_id, now())
      ON CONFLICT (device_id, assigned_at) DO UPDATE SET patient_id = EXCLUDED.patient_id;
  END IF;
  IF NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    UPDATE device_route_changes SET version = version + 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER devices_track_routes
  AFTER INSERT OR UPDATE OF patient_id, revoked_at ON devices
  FOR EACH ROW EXECUTE FUNCTION devices_track_routes();

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
