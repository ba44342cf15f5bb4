-- Up Migration

-- Tamper evidence for audit_events (HIPAA 45 CFR 164.312(b) audit controls, 164.312(c)(1)
-- integrity). Each row carries row_hash, the SHA-256 of its canonical form, which includes the
-- previous row's hash in the same chain (prev_hash). One chain per organisation; rows without an
-- organisation share the chain of the nil uuid. docs/architecture.md ("Audit") says how to
-- recompute it.
ALTER TABLE audit_events
  ADD COLUMN chain_seq bigint,
  ADD COLUMN prev_hash text,
  ADD COLUMN row_hash text;

-- The head of each chain. A writer locks only its own organisation's head row, inside its own
-- transaction, so organisations never wait on each other.
CREATE TABLE audit_chain_heads (
  chain_key uuid PRIMARY KEY,
  last_seq bigint NOT NULL DEFAULT 0,
  last_id bigint,
  last_hash text NOT NULL DEFAULT repeat('0', 64)
);

-- The canonical form: a JSON array of text (or null) values, as PostgreSQL prints jsonb.
CREATE FUNCTION audit_event_canonical(e audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_array(
    e.id::text,
    e.chain_seq::text,
    e.organization_id::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_user_id::text,
    e.actor_role,
    e.action,
    e.resource_type,
    e.resource_id,
    e.patient_id::text,
    e.outcome,
    e.request_id,
    e.prev_hash
  )::text
$$;

CREATE FUNCTION audit_event_hash(e audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(audit_event_canonical(e), 'UTF8')), 'hex')
$$;

-- Backfill the existing rows, in id order per chain.
DO $$
DECLARE
  e audit_events;
  head audit_chain_heads;
BEGIN
  FOR e IN SELECT * FROM audit_events ORDER BY id LOOP
    INSERT INTO audit_chain_heads (chain_key)
      VALUES (COALESCE(e.organization_id, '00000000-0000-0000-0000-000000000000'))
      ON CONFLICT DO NOTHING;
    SELECT * INTO head FROM audit_chain_heads
      WHERE chain_key = COALESCE(e.organization_id, '00000000-0000-0000-0000-000000000000');
    e.chain_seq := head.last_seq + 1;
    e.prev_hash := head.last_hash;
    e.row_hash := audit_event_hash(e);
    UPDATE audit_events SET chain_seq = e.chain_seq, prev_hash = e.prev_hash, row_hash = e.row_hash
      WHERE id = e.id;
    UPDATE audit_chain_heads SET last_seq = e.chain_seq, last_id = e.id, last_hash = e.row_hash
      WHERE chain_key = head.chain_key;
  END LOOP;
END
$$;

ALTER TABLE audit_events
  ALTER COLUMN chain_seq SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN row_hash SET NOT NULL;
CREATE UNIQUE INDEX audit_events_chain_idx
  ON audit_events ((COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid)), chain_seq);

-- Every insert, by any writer, links itself to its chain: the head row's lock is held until the
-- writer's transaction ends, so the chain follows commit order within one organisation.
CREATE FUNCTION audit_events_link() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  key uuid := COALESCE(NEW.organization_id, '00000000-0000-0000-0000-000000000000');
  head audit_chain_heads;
BEGIN
  INSERT INTO audit_chain_heads (chain_key) VALUES (key) ON CONFLICT DO NOTHING;
  SELECT * INTO head FROM audit_chain_heads WHERE chain_key = key FOR UPDATE;
  NEW.chain_seq := head.last_seq + 1;
  NEW.prev_hash := head.last_hash;
  NEW.row_hash := audit_event_hash(NEW);
  UPDATE audit_chain_heads SET last_seq = NEW.chain_seq, last_id = NEW.id, last_hash = NEW.row_hash
    WHERE chain_key = key;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_events_link BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_link();

-- Insert-only, even for the table's owner (the app connects as the owner in tests and the demo).
-- A deployment with a separate application role also revokes the privileges (docs/deployment.md).
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is insert-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Down Migration
-- Forward-only.
