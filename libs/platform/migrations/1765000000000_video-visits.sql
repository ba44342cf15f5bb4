-- Up Migration
-- Video visits (libs/telehealth): a visit per LiveKit room, its participants (an opaque
-- identity each, mapped here to the user or link), each connection's times as LiveKit's
-- webhooks report them, one-time join links stored only as hashes, and the webhook events
-- already applied (LiveKit retries, so each is applied once).

CREATE TABLE visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  alert_id uuid REFERENCES alerts (id),
  created_by uuid NOT NULL REFERENCES users (id),
  -- Random, never derived from the patient: LiveKit's operators see it.
  room_name text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'waiting', 'in_progress', 'completed', 'missed', 'cancelled')),
  scheduled_for timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  -- First time a clinician or coordinator joined: the no-show clock starts then.
  staff_joined_at timestamptz,
  notes text,
  notes_updated_at timestamptz,
  notes_updated_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_patient_idx ON visits (organization_id, patient_id, created_at DESC);
CREATE INDEX visits_organization_idx ON visits (organization_id, created_at DESC);
CREATE INDEX visits_alert_idx ON visits (alert_id) WHERE alert_id IS NOT NULL;
CREATE INDEX visits_open_idx ON visits (created_at) WHERE status IN ('scheduled', 'waiting', 'in_progress');

CREATE TABLE visit_participants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES visits (id),
  -- The identity in LiveKit tokens and webhooks: random, mapped back to the person only here.
  identity text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('clinician', 'coordinator', 'patient', 'guest')),
  user_id uuid REFERENCES users (id),
  label text,
  -- Derived from the sessions below after each webhook: first join, last leave, seconds present.
  joined_at timestamptz,
  left_at timestamptz,
  seconds integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX visit_participants_user_idx ON visit_participants (visit_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX visit_participants_visit_idx ON visit_participants (visit_id);

-- One row per connection (LiveKit's participant sid); joined and left may arrive in either order.
CREATE TABLE visit_participant_sessions (
  sid text PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES visit_participants (id),
  joined_at timestamptz,
  left_at timestamptz
);
CREATE INDEX visit_participant_sessions_participant_idx ON visit_participant_sessions (participant_id);

CREATE TABLE visit_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES visits (id),
  kind text NOT NULL CHECK (kind IN ('patient', 'guest')),
  -- sha256 of the code; the code itself is only ever in the link handed out.
  code_hash bytea NOT NULL UNIQUE,
  label text,
  created_by uuid NOT NULL REFERENCES users (id),
  participant_id uuid REFERENCES visit_participants (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_links_visit_idx ON visit_links (visit_id, kind);

CREATE TABLE livekit_webhook_events (
  id text PRIMARY KEY,
  event text NOT NULL,
  room_name text,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Who acts without an account (a patient's link, LiveKit's webhook, the platform's jobs) is
-- audited too: no user, and for a forged webhook no organisation either.
ALTER TABLE audit_events ALTER COLUMN actor_user_id DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN organization_id DROP NOT NULL;

-- Down Migration
-- Forward-only.
