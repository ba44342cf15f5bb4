-- Up Migration

-- The patients policy decided each row with a function that recomputed the whole scope per row:
-- a coordinator's worklist over 5,000 patients of their team ran past the statement timeout.
-- Now the scope's patient set is computed once per query (an uncorrelated IN, as on every other
-- table), and only a patient the user registered is checked on its own: one no team holds yet
-- (registering inserts the patient, RETURNING its row, before its care-team rows, and the set,
-- read from the statement's snapshot, cannot see it).
CREATE FUNCTION homeward_patient_in_no_team(patient uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT NOT EXISTS (SELECT 1 FROM care_team_patients c WHERE c.patient_id = patient)
$$;
REVOKE ALL ON FUNCTION homeward_patient_in_no_team(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION homeward_patient_in_no_team(uuid) TO homeward_scoped;

DROP POLICY patients_scope ON patients;
CREATE POLICY patients_scope ON patients
  USING (current_user <> 'homeward_scoped'
         -- An organisation-wide scope (admins) decides on the row's own organisation, so a
         -- patient an admin registers is returned too.
         OR (homeward_scope_user_id() IS NULL AND organization_id = homeward_scope_organization_id())
         OR id IN (SELECT homeward_scoped_patient_ids())
         OR (created_by = homeward_scope_user_id()
             AND organization_id = homeward_scope_organization_id()
             AND homeward_patient_in_no_team(id)))
  WITH CHECK (current_user <> 'homeward_scoped' OR organization_id = homeward_scope_organization_id());

DROP FUNCTION homeward_patient_row_in_scope(uuid, uuid, uuid);

-- Down Migration
-- Forward-only.
