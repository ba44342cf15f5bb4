-- Up Migration

-- Single sign-on with OpenID Connect, one provider per organisation. The client secret is
-- write-only through the API (never answered, never logged).
CREATE TABLE oidc_providers (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  issuer text NOT NULL,
  client_id text NOT NULL,
  client_secret text NOT NULL,
  -- Empty: any domain (the user must still exist in the organisation).
  allowed_email_domains text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A sign-in under way at the provider: the state (only its SHA-256 is kept), its PKCE verifier
-- and nonce. Deleted when the provider sends the browser back, so a state works once.
CREATE TABLE oidc_sign_in_states (
  state_hash bytea PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_sign_in_states_expires_idx ON oidc_sign_in_states (expires_at);

-- A sign-in the provider vouched for, waiting for the console to exchange its one-time code
-- (only its SHA-256 is kept) for a session.
CREATE TABLE oidc_handoffs (
  code_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_handoffs_expires_idx ON oidc_handoffs (expires_at);

-- Down Migration
-- Forward-only.
