-- Up Migration

-- Care teams: which of an organisation's staff care for which of its patients. A coordinator or
-- clinician sees the patients of their teams (and those they hold break-glass access to); admins
-- see the organisation. HIPAA's access control standard (45 CFR 164.312(a)(1)) asks that people
-- reach only the records their work needs; the minimum necessary rule (45 CFR 164.502(b)) too.

-- Composite keys let the membership tables prove that a team, its members and its patients are
-- all of one organisation.
ALTER TABLE users ADD CONSTRAINT users_id_organization_key UNIQUE (id, organization_id);
ALTER TABLE patients ADD CONSTRAINT patients_id_organization_key UNIQUE (id, organization_id);

CREATE TABLE care_teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, organization_id)
);
CREATE UNIQUE INDEX care_teams_name_key ON care_teams (organization_id, lower(name));

CREATE TABLE care_team_members (
  care_team_id uuid NOT NULL,
  user_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  added_by uuid REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (care_team_id, user_id),
  FOREIGN KEY (care_team_id, organization_id) REFERENCES care_teams (id, organization_id) ON DELETE CASCADE,
  FOREIGN KEY (user_id, organization_id) REFERENCES users (id, organization_id)
);
-- The scope's lookup starts from the user.
CREATE INDEX care_team_members_user_idx ON care_team_members (user_id, care_team_id);

CREATE TABLE care_team_patients (
  care_team_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  organization_id uuid NOT NULL,
  added_by uuid REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (care_team_id, patient_id),
  FOREIGN KEY (care_team_id, organization_id) REFERENCES care_teams (id, organization_id) ON DELETE CASCADE,
  FOREIGN KEY (patient_id, organization_id) REFERENCES patients (id, organization_id)
);
-- Which teams a patient's events go to, and the admins' "unassigned" list.
CREATE INDEX care_team_patients_patient_idx ON care_team_patients (patient_id, care_team_id);

-- Break-glass: a clinician's time-limited access to a patient outside their teams, with the
-- reason they gave. Rows are never updated or deleted: expiry ends the access, the row stays as
-- the record of it.
CREATE TABLE break_glass_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  user_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL CHECK (expires_at > granted_at),
  FOREIGN KEY (patient_id, organization_id) REFERENCES patients (id, organization_id),
  FOREIGN KEY (user_id, organization_id) REFERENCES users (id, organization_id)
);
CREATE INDEX break_glass_grants_user_idx ON break_glass_grants (user_id, expires_at);
CREATE INDEX break_glass_grants_organization_idx ON break_glass_grants (organization_id, granted_at DESC);

-- Existing organisations keep working: one team holds every patient and every coordinator and
-- clinician, as everyone saw before. Admins then divide it.
INSERT INTO care_teams (organization_id, name)
SELECT o.id, 'Everyone (before care teams)' FROM organizations o
 WHERE EXISTS (SELECT 1 FROM patients p WHERE p.organization_id = o.id)
    OR EXISTS (SELECT 1 FROM users u WHERE u.organization_id = o.id AND u.role <> 'admin');
INSERT INTO care_team_members (care_team_id, user_id, organization_id)
SELECT t.id, u.id, u.organization_id FROM care_teams t JOIN users u ON u.organization_id = t.organization_id
 WHERE u.role <> 'admin';
INSERT INTO care_team_patients (care_team_id, patient_id, organization_id)
SELECT t.id, p.id, p.organization_id FROM care_teams t JOIN patients p ON p.organization_id = t.organization_id;
