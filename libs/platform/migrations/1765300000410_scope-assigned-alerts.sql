-- Up Migration

-- A user also sees the patients of the active alerts assigned to them: an on-call clinician
-- paged by an escalation is assigned the alert, and must be able to open the patient to act on
-- it even when outside the patient's care teams. The same rule as careTeamPatientIdsSql in
-- libs/access/src/patient-scope.ts.
CREATE INDEX alerts_assigned_active_idx ON alerts (assigned_to)
  WHERE assigned_to IS NOT NULL AND status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated');

CREATE OR REPLACE FUNCTION homeward_scoped_patient_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT p.id FROM patients p
  WHERE p.organization_id = homeward_scope_organization_id()
    AND (homeward_scope_user_id() IS NULL
         OR p.id IN (SELECT ctp.patient_id FROM care_team_members ctm
                       JOIN care_team_patients ctp ON ctp.care_team_id = ctm.care_team_id
                      WHERE ctm.user_id = homeward_scope_user_id()
                     UNION
                     SELECT bg.patient_id FROM break_glass_grants bg
                      WHERE bg.user_id = homeward_scope_user_id() AND bg.expires_at > now()
                     UNION
                     SELECT al.patient_id FROM alerts al
                      WHERE al.assigned_to = homeward_scope_user_id()
                        AND al.status IN ('pending_confirmation', 'open', 'acknowledged', 'escalated'))
         OR (p.created_by = homeward_scope_user_id()
             AND NOT EXISTS (SELECT 1 FROM care_team_patients c WHERE c.patient_id = p.id)))
$$;

-- Down Migration
-- Forward-only.
