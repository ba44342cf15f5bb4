-- Up Migration
-- What fired, in words for the queue ("Systolic 186 mm[Hg] ≥ 180", "No weight reading for 48 h"),
-- written when the alert is raised and when a worse breach takes the episode over. Null (alerts
-- raised before this column, or written by other tools): the API says the rule's description.
ALTER TABLE alerts ADD COLUMN summary text;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
