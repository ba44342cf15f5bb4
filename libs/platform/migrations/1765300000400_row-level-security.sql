-- Up Migration

-- Row-level security on the patient-data tables: the second line behind the patient scope every
-- query renders (libs/access). A request bound to a scope runs each transaction as the role
-- homeward_scoped (SET LOCAL ROLE), with the scope in two transaction-local settings:
--   homeward.organization_id  the organisation
--   homeward.user_id          the user whose care teams narrow it; empty for the whole organisation
-- A query that forgets its scope condition then still sees only the scope's rows. Table owners
-- and superusers bypass row-level security (PostgreSQL docs, "Row Security Policies"), which is
-- what platform work (ingest, jobs, sign-in, migrations) runs as: it binds no scope.

-- 1. The role. Roles are cluster-wide (test databases share one cluster), so it is created only
--    when missing, and a concurrent creation by another database's migration is not an error.
--    A migrating user that may not create roles needs an operator to run, once, as a superuser
--    or a role with CREATEROLE (docs/deployment.md):
--      CREATE ROLE homeward_scoped NOLOGIN;  GRANT homeward_scoped TO <the owner>;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'homeward_scoped') THEN
    BEGIN
      CREATE ROLE homeward_scoped NOLOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'Role homeward_scoped is missing and % may not create it', current_user
          USING HINT = format('As a superuser, run: CREATE ROLE homeward_scoped NOLOGIN; GRANT homeward_scoped TO %I; then migrate again (docs/deployment.md, Database role).', current_user);
    END;
  END IF;
  -- The application switches to the role with SET LOCAL ROLE, which needs membership
  -- (a superuser has it already).
  IF NOT pg_has_role(current_user, 'homeward_scoped', 'MEMBER') THEN
    EXECUTE format('GRANT homeward_scoped TO %I', current_user);
  END IF;
END
$$;

-- 2. What the application does under the role: every table and sequence it uses (sessions, users
--    and the audit trail during a request too), and the same for tables later migrations add.
--    The audit trail stays insert-only: its triggers refuse changes, and the role is not granted them.
GRANT USAGE ON SCHEMA public TO homeward_scoped;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO homeward_scoped;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO homeward_scoped;
REVOKE UPDATE, DELETE ON audit_events FROM homeward_scoped;
REVOKE DELETE ON audit_chain_heads FROM homeward_scoped;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO homeward_scoped;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO homeward_scoped;

-- 3. The scope, read from the settings. The patient sets are SECURITY DEFINER (run as the owner,
--    who bypasses the policies) so that the policy on patients can use them without recursing.
CREATE FUNCTION homeward_scope_organization_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('homeward.organization_id', true), '')::uuid
$$;

CREATE FUNCTION homeward_scope_user_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('homeward.user_id', true), '')::uuid
$$;

-- The patients the scope holds: the organisation's, and with a user, those of the user's care
-- teams and unexpired break-glass grants (the rule of careTeamPatientIdsSql in libs/access), and
-- the patients the user registered that no team holds yet (registering a patient inserts it, with
-- RETURNING, before its care-team rows).
CREATE FUNCTION homeward_scoped_patient_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT p.id FROM patients p
  WHERE p.organization_id = homeward_scope_organization_id()
    AND (homeward_scope_user_id() IS NULL
         OR p.id IN (SELECT ctp.patient_id FROM care_team_members ctm
                       JOIN care_team_patients ctp ON ctp.care_team_id = ctm.care_team_id
                      WHERE ctm.user_id = homeward_scope_user_id()
                     UNION
                     SELECT bg.patient_id FROM break_glass_grants bg
                      WHERE bg.user_id = homeward_scope_user_id() AND bg.expires_at > now())
         OR (p.created_by = homeward_scope_user_id()
             AND NOT EXISTS (SELECT 1 FROM care_team_patients c WHERE c.patient_id = p.id)))
$$;

-- Every patient of the scope's organisation: what a written row must belong to.
CREATE FUNCTION homeward_organization_patient_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT p.id FROM patients p WHERE p.organization_id = homeward_scope_organization_id()
$$;

-- Whether a patients row is in scope, from its own columns: a row being inserted (RETURNING
-- checks it against the read rule) is not yet visible to the query in homeward_scoped_patient_ids.
CREATE FUNCTION homeward_patient_row_in_scope(row_id uuid, row_organization_id uuid, row_created_by uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT row_organization_id = homeward_scope_organization_id()
     AND (homeward_scope_user_id() IS NULL
          OR row_id IN (SELECT homeward_scoped_patient_ids())
          OR (row_created_by = homeward_scope_user_id()
              AND NOT EXISTS (SELECT 1 FROM care_team_patients c WHERE c.patient_id = row_id)))
$$;

REVOKE ALL ON FUNCTION homeward_scoped_patient_ids() FROM PUBLIC;
REVOKE ALL ON FUNCTION homeward_organization_patient_ids() FROM PUBLIC;
REVOKE ALL ON FUNCTION homeward_patient_row_in_scope(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION homeward_scoped_patient_ids() TO homeward_scoped;
GRANT EXECUTE ON FUNCTION homeward_organization_patient_ids() TO homeward_scoped;
GRANT EXECUTE ON FUNCTION homeward_patient_row_in_scope(uuid, uuid, uuid) TO homeward_scoped;

-- 4. The policies. Each applies to the role homeward_scoped only (`current_user`, the role in
--    effect after SET ROLE): any other role that is not the owner (a deployment's separate
--    application role doing platform work) passes, as the owner does. Reading, updating and
--    deleting keep to the scope's patients; a written row must be of the organisation (and of
--    one of its patients), so a patient's first care-team rows can be written.
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
CREATE POLICY patients_scope ON patients
  USING (current_user <> 'homeward_scoped' OR homeward_patient_row_in_scope(id, organization_id, created_by))
  WITH CHECK (current_user <> 'homeward_scoped' OR organization_id = homeward_scope_organization_id());

-- Tables with the organisation and the patient.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['alerts', 'break_glass_grants', 'care_team_patients', 'care_time_entries', 'devices',
                           'patient_baselines', 'patient_consents', 'patient_protocols',
                           'patient_rule_overrides', 'visits'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I
         USING (current_user <> ''homeward_scoped''
                OR (organization_id = homeward_scope_organization_id()
                    AND patient_id IN (SELECT homeward_scoped_patient_ids())))
         WITH CHECK (current_user <> ''homeward_scoped''
                     OR (organization_id = homeward_scope_organization_id()
                         AND patient_id IN (SELECT homeward_organization_patient_ids())))',
      t || '_scope', t);
  END LOOP;
END
$$;

-- Tables with the patient only. Readings on a TimescaleDB hypertable with compression are left
-- out: TimescaleDB refuses row-level security there ("cannot enable RLS on hypertables using
-- compression", timescale/timescaledb#6827); the scope in every readings query is their guard.
DO $$
DECLARE
  t text;
  compressed boolean := false;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                             WHERE hypertable_name = ''readings'' AND compression_enabled)'
      INTO compressed;
  END IF;
  FOREACH t IN ARRAY ARRAY['readings', 'alert_occurrences', 'device_assignments', 'patient_reading_days'] LOOP
    CONTINUE WHEN t = 'readings' AND compressed;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I
         USING (current_user <> ''homeward_scoped'' OR patient_id IN (SELECT homeward_scoped_patient_ids()))
         WITH CHECK (current_user <> ''homeward_scoped'' OR patient_id IN (SELECT homeward_organization_patient_ids()))',
      t || '_scope', t);
  END LOOP;
END
$$;

-- Ingest's rejections: a rejection naming no patient is read through its device, which the
-- devices policy keeps to the scope.
ALTER TABLE reading_rejections ENABLE ROW LEVEL SECURITY;
CREATE POLICY reading_rejections_scope ON reading_rejections
  USING (current_user <> 'homeward_scoped'
         OR patient_id IN (SELECT homeward_scoped_patient_ids())
         OR (patient_id IS NULL AND device_ref IN (SELECT d.id::text FROM devices d)))
  WITH CHECK (current_user <> 'homeward_scoped'
              OR patient_id IS NULL OR patient_id IN (SELECT homeward_organization_patient_ids()));

-- Down Migration
-- Forward-only.
