-- Up Migration
-- A video visit's care-time entry names a visit that exists: the visits table (1765000000000)
-- arrived in the same change as the ledger, so the reference is added once both are there.
ALTER TABLE care_time_entries
  ADD CONSTRAINT care_time_entries_visit_fk FOREIGN KEY (visit_id) REFERENCES visits (id);

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
