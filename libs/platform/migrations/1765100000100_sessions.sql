-- Up Migration

-- One row per sign-in. Its refresh tokens form one family (RFC 9700 §4.14.2): each refresh
-- replaces the token it was given, and a replaced token presented again revokes the session.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text,
  ip_address text
);
CREATE INDEX sessions_live_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are opaque random strings; only their SHA-256 is kept, so a copy of the table
-- cannot refresh anything. Every token of the family is kept until the session ends, so a
-- stolen token is recognised however many rotations later it is used.
CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL DEFAULT now(),
  replaced_at timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Down Migration
-- Forward-only.
