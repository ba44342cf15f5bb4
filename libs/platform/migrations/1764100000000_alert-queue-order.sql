-- Up Migration

-- The coordinators' queue lists an organisation's alerts by status, newest (highest sequence)
-- first; nothing orders alerts by created_at, so this index replaces the one on it.
CREATE INDEX alerts_organization_status_sequence_idx ON alerts (organization_id, status, sequence DESC);
DROP INDEX alerts_organization_status_idx;

-- Replay after a reconnect reads the missed alerts one severity at a time, newest first, in
-- keyset pages: each page is a range of this index, however many alerts of other severities
-- lie between.
CREATE INDEX alerts_organization_severity_sequence_idx ON alerts (organization_id, severity, sequence DESC);

-- Down Migration
-- Forward-only.
