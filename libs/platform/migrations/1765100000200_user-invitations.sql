-- Up Migration

-- An invited user has no password until they accept their invitation.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- One-time invitation codes, stored as their SHA-256 (the code carries 256 random bits, so a
-- fast hash is enough: nothing can be guessed from a leaked row). Re-issuing voids the previous
-- one; accepting marks it used.
CREATE TABLE user_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  issued_by uuid REFERENCES users (id),
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  voided_at timestamptz
);
CREATE UNIQUE INDEX user_invitations_code_key ON user_invitations (code_hash);
CREATE INDEX user_invitations_open_idx ON user_invitations (user_id) WHERE used_at IS NULL AND voided_at IS NULL;

-- The organisation a command or the demo creates has no actor: its audit row names none.
CREATE INDEX users_organization_role_idx ON users (organization_id, role) WHERE disabled_at IS NULL;

-- Down Migration
-- Forward-only.
