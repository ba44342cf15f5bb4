-- Up Migration
-- Escalation: per organisation, how long a critical alert may wait for an acknowledgement
-- before it goes to the on-call clinician (first step) and then to the admins (second step).
-- Seconds, so tests and drills can use short delays; organisations without a row use the
-- ESCALATION_*_AFTER_MINUTES defaults.
CREATE TABLE escalation_policies (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id),
  first_after_seconds integer NOT NULL CHECK (first_after_seconds BETWEEN 1 AND 86400),
  then_after_seconds integer NOT NULL CHECK (then_after_seconds BETWEEN 1 AND 86400),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The on-call roster: whoever's shift covers now is on call (the latest-starting one when
-- shifts overlap).
CREATE TABLE on_call_shifts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX on_call_shifts_organization_idx ON on_call_shifts (organization_id, ends_at);

-- The escalation steps of an alert, kept in PostgreSQL (BullMQ's delayed jobs are only the
-- alarm clock, and Redis can lose them). One row per alert and step: a step is taken at most
-- once however many jobs run for it. A pending step is deleted when the alert is
-- acknowledged or closed; a taken one stays (`done_at`, whom it went to).
CREATE TABLE alert_escalations (
  alert_id uuid NOT NULL REFERENCES alerts (id),
  step smallint NOT NULL CHECK (step IN (1, 2)),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
  recipient_user_id uuid REFERENCES users (id),
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, step)
);
CREATE INDEX alert_escalations_due_idx ON alert_escalations (due_at) WHERE status = 'pending';

-- Notifications go out through an outbox: written in the transaction of what causes them, then
-- delivered (and retried) by a worker. The payload names the alert, never health data.
CREATE TABLE notification_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  recipient_user_id uuid NOT NULL REFERENCES users (id),
  channel text NOT NULL CHECK (channel IN ('socket', 'email', 'sms')),
  kind text NOT NULL,
  alert_id uuid REFERENCES alerts (id),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX notification_outbox_pending_idx ON notification_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_outbox_alert_idx ON notification_outbox (alert_id);

-- Every delivery attempt, successful or not.
CREATE TABLE notification_deliveries (
  id bigserial PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notification_outbox (id),
  attempt integer NOT NULL,
  transport text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('sent', 'failed')),
  error text,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_deliveries_notification_idx ON notification_deliveries (notification_id, id);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
