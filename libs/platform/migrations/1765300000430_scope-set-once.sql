-- Up Migration

-- Row-level security cost a coordinator's queries several times what they cost before it (the
-- benchmark's chart, queue and worklist over a team of 5,000 patients), for three reasons:
--
-- 1. The scope's patient set, homeward_scoped_patient_ids(), took 7-12 ms for 5,000 patients: a
--    SQL function that cannot be inlined (SECURITY DEFINER) is planned again on every call, and
--    its plan filtered every patient of the organisation through an OR of four conditions that
--    re-read the settings per row. It is now PL/pgSQL, whose plans are cached per session, with
--    the settings read once into variables, each branch an index scan narrowed to the
--    organisation by the branch's own table, and UNION ALL (IN does not need the duplicates gone).
--
-- 2. The set was computed once per policy-bearing table in a query, and the care-team condition
--    every scoped query carries (careTeamPatientIdsSql in libs/access) reads three such tables:
--    care_team_patients, break_glass_grants and alerts. Their policies now first check the row's
--    own columns for the way that condition reaches them (a team the user is a member of, the
--    user's own unexpired grant, an active alert assigned to the user); each of those rows is in
--    the set by the set's definition, so nothing more is visible. PostgreSQL evaluates an OR's
--    arms in order and builds a hashed subplan only when an arm needs it, so when every row
--    passes on its own columns the set is never computed for that table.
--
-- 3. Every policy read the settings per row (current_setting and a uuid cast, for each row a scan
--    passes through it). They are now read once per query: a policy's `(SELECT f())` is an
--    uncorrelated sub-select, which the planner runs once as an InitPlan and reuses for every
--    row (Supabase's row-level security guide, "Call functions with select", measures the same).
--    All policies are recreated that way, with the same rules.

CREATE INDEX IF NOT EXISTS patients_created_by_idx ON patients (created_by) WHERE created_by IS NOT NULL;

CREATE OR REPLACE FUNCTION homeward_scoped_patient_ids() RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  scope_organization uuid := homeward_scope_organization_id();
  scope_user uuid := homeward_scope_user_id();
BEGIN
  IF scope_organization IS NULL THEN
    RETURN;
  END IF;
  IF scope_user IS NULL THEN
    RETURN QUERY SELECT p.id FROM patients p WHERE p.organization_id = scope_organization;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT ctp.patient_id FROM care_team_members ctm
      JOIN care_team_patients ctp ON ctp.care_team_id = ctm.care_team_id
     WHERE ctm.user_id = scope_user AND ctp.organization_id = scope_organization
    UNION ALL
    SELECT bg.patient_id FROM break_glass_grants bg
     WHERE bg.user_id = scope_user AND bg.organization_id = scope_organization AND bg.expires_at > now()
    UNION ALL
    SELECT al.patient_id FROM alerts al
     WHERE al.assigned_to = scope_user AND al.organization_id = scope_organization
       AND al.status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated')
    UNION ALL
    -- A patient the user registered that no team holds yet: registering inserts the patient
    -- before its care-team rows.
    SELECT p.id FROM patients p
     WHERE p.created_by = scope_user AND p.organization_id = scope_organization
       AND NOT EXISTS (SELECT 1 FROM care_team_patients c WHERE c.patient_id = p.id);
END
$$;

-- Tables with the organisation and the patient.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['care_time_entries', 'devices', 'patient_baselines', 'patient_consents',
                           'patient_protocols', 'patient_rule_overrides', 'visits'] LOOP
    EXECUTE format('DROP POLICY %I ON %I', t || '_scope', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I
         USING ((SELECT current_user) <> ''homeward_scoped''
                OR (organization_id = (SELECT homeward_scope_organization_id())
                    AND patient_id IN (SELECT homeward_scoped_patient_ids())))
         WITH CHECK ((SELECT current_user) <> ''homeward_scoped''
                     OR (organization_id = (SELECT homeward_scope_organization_id())
                         AND patient_id IN (SELECT homeward_organization_patient_ids())))',
      t || '_scope', t);
  END LOOP;
END
$$;

-- The three tables the care-team condition reads: their rows reached that way pass on their own
-- columns first.
DROP POLICY care_team_patients_scope ON care_team_patients;
CREATE POLICY care_team_patients_scope ON care_team_patients
  USING ((SELECT current_user) <> 'homeward_scoped'
         OR (organization_id = (SELECT homeward_scope_organization_id())
             -- A team the user is a member of (care_team_members has no policy: read in place).
             AND (care_team_id IN (SELECT m.care_team_id FROM care_team_members m
                                    WHERE m.user_id = (SELECT homeward_scope_user_id()))
                  OR patient_id IN (SELECT homeward_scoped_patient_ids()))))
  WITH CHECK ((SELECT current_user) <> 'homeward_scoped'
              OR (organization_id = (SELECT homeward_scope_organization_id())
                  AND patient_id IN (SELECT homeward_organization_patient_ids())));

DROP POLICY break_glass_grants_scope ON break_glass_grants;
CREATE POLICY break_glass_grants_scope ON break_glass_grants
  USING ((SELECT current_user) <> 'homeward_scoped'
         OR (organization_id = (SELECT homeward_scope_organization_id())
             -- The user's own unexpired grant.
             AND ((user_id = (SELECT homeward_scope_user_id()) AND expires_at > now())
                  OR patient_id IN (SELECT homeward_scoped_patient_ids()))))
  WITH CHECK ((SELECT current_user) <> 'homeward_scoped'
              OR (organization_id = (SELECT homeward_scope_organization_id())
                  AND patient_id IN (SELECT homeward_organization_patient_ids())));

DROP POLICY alerts_scope ON alerts;
CREATE POLICY alerts_scope ON alerts
  USING ((SELECT current_user) <> 'homeward_scoped'
         OR (organization_id = (SELECT homeward_scope_organization_id())
             -- An active alert assigned to the user.
             AND ((assigned_to = (SELECT homeward_scope_user_id())
                   AND status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated'))
                  OR patient_id IN (SELECT homeward_scoped_patient_ids()))))
  WITH CHECK ((SELECT current_user) <> 'homeward_scoped'
              OR (organization_id = (SELECT homeward_scope_organization_id())
                  AND patient_id IN (SELECT homeward_organization_patient_ids())));

-- Tables with the patient only; readings only where 1765300000400 could enable row-level security
-- (not on a compressed TimescaleDB hypertable).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['readings', 'alert_occurrences', 'device_assignments', 'patient_reading_days'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = t AND policyname = t || '_scope');
    EXECUTE format('DROP POLICY %I ON %I', t || '_scope', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I
         USING ((SELECT current_user) <> ''homeward_scoped'' OR patient_id IN (SELECT homeward_scoped_patient_ids()))
         WITH CHECK ((SELECT current_user) <> ''homeward_scoped'' OR patient_id IN (SELECT homeward_organization_patient_ids()))',
      t || '_scope', t);
  END LOOP;
END
$$;

DROP POLICY reading_rejections_scope ON reading_rejections;
CREATE POLICY reading_rejections_scope ON reading_rejections
  USING ((SELECT current_user) <> 'homeward_scoped'
         OR patient_id IN (SELECT homeward_scoped_patient_ids())
         OR (patient_id IS NULL AND device_ref IN (SELECT d.id::text FROM devices d)))
  WITH CHECK ((SELECT current_user) <> 'homeward_scoped'
              OR patient_id IS NULL OR patient_id IN (SELECT homeward_organization_patient_ids()));

DROP POLICY patients_scope ON patients;
CREATE POLICY patients_scope ON patients
  USING ((SELECT current_user) <> 'homeward_scoped'
         -- An organisation-wide scope (admins) decides on the row's own organisation, so a
         -- patient an admin registers is returned too.
         OR ((SELECT homeward_scope_user_id()) IS NULL AND organization_id = (SELECT homeward_scope_organization_id()))
         OR id IN (SELECT homeward_scoped_patient_ids())
         -- A patient the user is registering: its row is not yet in the set's snapshot.
         OR (created_by = (SELECT homeward_scope_user_id())
             AND organization_id = (SELECT homeward_scope_organization_id())
             AND homeward_patient_in_no_team(id)))
  WITH CHECK ((SELECT current_user) <> 'homeward_scoped' OR organization_id = (SELECT homeward_scope_organization_id()));

-- Down Migration
-- Forward-only.
