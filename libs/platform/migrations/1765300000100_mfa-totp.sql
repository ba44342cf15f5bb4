-- Up Migration

-- An organisation may require a second factor of every user who signs in with a password.
ALTER TABLE organizations ADD COLUMN mfa_required boolean NOT NULL DEFAULT false;

-- A user's TOTP authenticator (RFC 6238). The shared secret is stored encrypted (AES-256-GCM,
-- bound to the user id); `confirmed_at` is null while the enrolment waits for its first code.
-- `last_used_step` is the newest 30-second step a code was accepted for: a code of that step or an
-- older one is refused, so an observed code cannot be replayed (RFC 6238 §5.2).
CREATE TABLE user_mfa (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_ciphertext text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  last_used_step bigint
);

-- One-time recovery codes, for a lost phone. Only their SHA-256 is kept (each has 80 random
-- bits, so a fast hash reveals nothing guessable); a used code keeps its row, marked.
CREATE TABLE mfa_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- Down Migration
-- Forward-only.
