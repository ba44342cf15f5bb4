-- Up Migration
-- Every change to an alert takes a number from the same sequence as alerts' own `sequence`, so
-- a client that reconnects with the highest number it saw is replayed what changed as well as
-- what is new.
ALTER TABLE alerts ADD COLUMN change_sequence bigint;
UPDATE alerts SET change_sequence = sequence;
ALTER TABLE alerts ALTER COLUMN change_sequence SET NOT NULL;

CREATE FUNCTION alerts_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.change_sequence := NEW.sequence;
  ELSE
    NEW.change_sequence := nextval(pg_get_serial_sequence('alerts', 'sequence'));
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER alerts_number_change BEFORE INSERT OR UPDATE ON alerts
  FOR EACH ROW EXECUTE FUNCTION alerts_number_change();
CREATE INDEX alerts_organization_change_idx ON alerts (organization_id, change_sequence);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
