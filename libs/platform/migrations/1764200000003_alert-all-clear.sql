-- Up Migration
-- In-range readings counted since an alert's last breach: enough of them resolve it ("all clear").
ALTER TABLE alerts ADD COLUMN clear_count integer NOT NULL DEFAULT 0;
-- The episode a breach re-opens within the cool-down: the patient's last closed one of that key.
CREATE INDEX alerts_closed_episode_idx ON alerts (patient_id, episode_key, closed_at DESC) WHERE closed_at IS NOT NULL;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
