-- Up Migration
-- How each user wants to be reached when the console is closed: a mobile number for SMS and,
-- optionally, the order of their contact channels. No row (or channels NULL) means the default:
-- every channel the deployment enables that the user has an address for (their account's email,
-- this phone). The number is E.164 as Twilio expects it (https://www.twilio.com/docs/glossary/what-e164).
CREATE TABLE notification_preferences (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  channels text[] CHECK (channels <@ ARRAY['email', 'sms']::text[] AND cardinality(channels) BETWEEN 1 AND 2),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- An SMS reply is matched to the user by the number it comes from.
CREATE INDEX notification_preferences_phone_idx ON notification_preferences (phone) WHERE phone IS NOT NULL;

-- The notifications one event sends one user share a group: a channel that fails for good hands
-- over to the next of the user's channels the group has not tried. NULL on older rows.
ALTER TABLE notification_outbox ADD COLUMN group_id uuid;
CREATE INDEX notification_outbox_group_idx ON notification_outbox (group_id) WHERE group_id IS NOT NULL;

-- `sent`: the provider took it; `delivered`: the provider's status callback says it arrived.
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox
  ADD CONSTRAINT notification_outbox_status_check CHECK (status IN ('pending', 'sent', 'delivered', 'failed'));

-- Where an attempt went (the email address or phone number at the time), the provider's id for
-- it, and the last status the provider reported for it.
ALTER TABLE notification_deliveries
  ADD COLUMN address text,
  ADD COLUMN provider_message_id text,
  ADD COLUMN provider_status text,
  ADD COLUMN provider_error text,
  ADD COLUMN provider_status_at timestamptz;
CREATE UNIQUE INDEX notification_deliveries_provider_idx ON notification_deliveries (provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE INDEX notification_deliveries_address_idx ON notification_deliveries (address, attempted_at)
  WHERE address IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
