-- Accounts of the admin API and dashboard (ADR 0012): users, API tokens, dashboard sessions and the
-- audit log. Secrets are never stored: passwords as scrypt hashes, tokens and session ids as sha256.
CREATE TABLE tributary_users (
  id bigserial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE tributary_api_tokens (
  id uuid PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES tributary_users (id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX tributary_api_tokens_user_idx ON tributary_api_tokens (user_id);

CREATE TABLE tributary_sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES tributary_users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX tributary_sessions_expires_idx ON tributary_sessions (expires_at);

CREATE TABLE tributary_audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  credential text NOT NULL,
  action text NOT NULL,
  target text,
  outcome text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX tributary_audit_log_at_idx ON tributary_audit_log (at DESC);
