-- Up Migration

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'clinician')),
  password_hash text NOT NULL,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organization_idx ON users (organization_id);

CREATE TABLE patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  birth_date date NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patients_organization_idx ON patients (organization_id, family_name, given_name);

CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  kind text NOT NULL CHECK (kind IN ('bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer', 'hub')),
  label text,
  -- SHA-256 of a 256-bit random secret: the secret's entropy makes a slow KDF unnecessary,
  -- and broker authentication runs on every device connect.
  secret_hash bytea NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_patient_idx ON devices (patient_id);

-- One row per committed ingest batch that stored readings: the outbox the evaluation jobs
-- are enqueued from, and the sweep target when an enqueue was lost (Redis down, crash).
CREATE TABLE ingest_batches (
  id uuid PRIMARY KEY,
  ingest_client_id text NOT NULL,
  correlation_id text NOT NULL,
  stored_count integer NOT NULL,
  rejected_count integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  enqueued_at timestamptz,
  evaluated_at timestamptz
);
CREATE INDEX ingest_batches_pending_idx ON ingest_batches (created_at) WHERE evaluated_at IS NULL;

-- Narrow time series: one row per measured value. No foreign keys: the ingest hot path checks
-- devices itself, and foreign keys from hypertables cost every insert.
CREATE TABLE readings (
  measured_at timestamptz NOT NULL,
  patient_id uuid NOT NULL,
  device_id uuid NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  loinc text NOT NULL,
  value double precision NOT NULL,
  unit text NOT NULL,
  source_value double precision NOT NULL,
  source_unit text NOT NULL,
  batch_id uuid NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
-- De-duplication key. TimescaleDB requires the time column in every unique index, and
-- measured_at comes from the device, so a redelivered message maps to the same key.
CREATE UNIQUE INDEX readings_dedup_key ON readings (device_id, message_id, type, measured_at);
CREATE INDEX readings_patient_type_time_idx ON readings (patient_id, type, measured_at DESC);
CREATE INDEX readings_batch_idx ON readings (batch_id);

CREATE TABLE reading_rejections (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  ingest_client_id text NOT NULL,
  topic text NOT NULL,
  -- As named by the topic; may not be a registered device, or not even a uuid.
  device_ref text,
  message_id text,
  reason text NOT NULL,
  detail text NOT NULL,
  payload_bytes integer NOT NULL,
  payload_excerpt text NOT NULL
);
CREATE INDEX reading_rejections_device_idx ON reading_rejections (device_ref, received_at DESC);
CREATE INDEX reading_rejections_received_idx ON reading_rejections (received_at DESC);

CREATE TABLE alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sequence bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  rule_id text NOT NULL,
  rule_kind text NOT NULL,
  rule_description text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  trigger_type text NOT NULL,
  trigger_value double precision NOT NULL,
  trigger_unit text NOT NULL,
  trigger_measured_at timestamptz NOT NULL,
  trigger_device_id uuid NOT NULL,
  trigger_message_id text NOT NULL,
  batch_id uuid NOT NULL,
  correlation_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A re-run evaluation (job retry, sweep) raises nothing new for the same rule and reading.
  CONSTRAINT alerts_rule_trigger_key UNIQUE (rule_id, trigger_device_id, trigger_message_id, trigger_type, trigger_measured_at)
);
CREATE INDEX alerts_organization_status_idx ON alerts (organization_id, status, created_at DESC);
CREATE INDEX alerts_organization_sequence_idx ON alerts (organization_id, sequence);
CREATE INDEX alerts_patient_idx ON alerts (patient_id, created_at DESC);

-- Time-series storage: a TimescaleDB hypertable where the extension can be created, otherwise
-- a plain table with a BRIN index on time (cheap for append-only data).
-- Whether CREATE EXTENSION succeeds is the test: reading shared_preload_libraries needs
-- pg_read_all_settings, which a migration role may lack. On a server where the extension is
-- installed but not preloaded, CREATE EXTENSION raises FATAL and ends the connection, which no
-- EXCEPTION block survives; so runMigrations tries it first on a connection of its own and
-- passes the answer in the session setting homeward.timescaledb ('on' or 'off'). Unset (this SQL
-- run by another tool), the extension is tried here; 'off' is explained in runMigrations' log.
DO $$
DECLARE
  probed text := current_setting('homeward.timescaledb', true);
  use_timescaledb boolean := false;
BEGIN
  IF probed IS DISTINCT FROM 'off' AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
      use_timescaledb := true;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'timescaledb is installed but cannot be used (%); readings stay a plain table', SQLERRM;
    END;
  END IF;
  IF use_timescaledb THEN
    PERFORM create_hypertable('readings', 'measured_at', chunk_time_interval => interval '7 days', migrate_data => true);
    -- Compression and retention are Timescale License features: skipped on the Apache-2.0 build.
    IF current_setting('timescaledb.license', true) IS DISTINCT FROM 'apache' THEN
      EXECUTE 'ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = ''patient_id, type'', timescaledb.compress_orderby = ''measured_at DESC'')';
      PERFORM add_compression_policy('readings', interval '30 days');
      -- Medical-record retention is a legal minimum in most jurisdictions: keep ten years. The
      -- device contract derives its oldest accepted measuredAt from the same figure
      -- (DEVICE_CONTRACT.retentionYears; a unit test compares the two).
      PERFORM add_retention_policy('readings', interval '10 years');
    END IF;
  ELSE
    CREATE INDEX readings_measured_at_brin ON readings USING brin (measured_at);
  END IF;
END
$$;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
