-- Up Migration
-- Device management. `devices.revoked_at` keeps its one meaning: when the device was deactivated
-- (the API calls it `deactivatedAt`); reactivating clears it. The reason is free text for people.
ALTER TABLE devices ADD COLUMN deactivated_reason text;

-- The latest status a device reported on v1/devices/{id}/status, one row per device. A status
-- with an older `reported_at` than the stored one changes nothing but `received_at` (the device
-- was heard from), so redeliveries and out-of-order messages never roll the record back.
-- Fields a status omits keep their last reported value.
CREATE TABLE device_status (
  device_id uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  message_id text NOT NULL,
  reported_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  firmware_version text,
  battery_level smallint CHECK (battery_level BETWEEN 0 AND 100),
  signal_strength smallint CHECK (signal_strength BETWEEN -150 AND 0)
);

-- Device lists page by registration time within an organisation.
CREATE INDEX devices_organization_created_idx ON devices (organization_id, created_at, id);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
