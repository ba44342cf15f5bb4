-- Up Migration
-- A breach that raises an episode's severity and waits for a re-measurement keeps what it
-- raised it from (`raised_from`: status, severity, rule and summary), so a re-measurement that
-- does not confirm the worse breach puts the episode back as it was instead of resolving it.
-- `clear_since`: when the run of in-range measurements counted in `clear_count` began, so the
-- all clear can ask for a minimum span (ALERT_ALL_CLEAR_MIN_MINUTES).
ALTER TABLE alerts ADD COLUMN raised_from jsonb, ADD COLUMN clear_since timestamptz;

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
