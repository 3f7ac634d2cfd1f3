import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ValidationError } from '@tributary/core';
import { roleAtLeast, type Role } from './roles';
import { hashSecret, newSecret, TOKEN_PREFIX } from './secrets';
import { findUser } from './users';

export interface ApiToken {
  id: string;
  username: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Who a credential belongs to, as routes see it. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** `session`, `token:<name>` or `cron`: how the request authenticated (for the audit log). */
  credential: string;
}

interface TokenRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

const SELECT = `SELECT t.id, u.username, t.name, t.role, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
  FROM tributary_api_tokens t JOIN tributary_users u ON u.id = t.user_id`;

/**
 * Creates an API token for `username` with `role` (at most the user's own) and returns it with its
 * secret: the only time the secret exists outside the caller; the store keeps its sha256.
 */
export async function createToken(
  pool: Pool,
  input: { username: string; name: string; role?: Role; expiresAt?: Date | null; secret?: string },
): Promise<{ token: ApiToken; secret: string }> {
  const user = await findUser(pool, input.username);
  if (!user) throw new ValidationError(`user: no user ${input.username}`, { details: { field: 'user' } });
  const role = input.role ?? user.role;
  if (!roleAtLeast(user.role, role)) {
    throw new ValidationError(`role: ${input.username} is ${user.role}, a token cannot be ${role}`, {
      details: { field: 'role' },
    });
  }
  if (!/^[\w.@:-]{1,64}$/.test(input.name)) {
    throw new ValidationError('name: 1..64 letters, digits, dot, dash, colon, underscore or @', {
      details: { field: 'name' },
    });
  }
  const secret = input.secret ?? newSecret(TOKEN_PREFIX);
  const id = randomUUID();
  await pool.query(
    `INSERT INTO tributary_api_tokens (id, user_id, name, role, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, user.id, input.name, role, hashSecret(secret), input.expiresAt ?? null],
  );
  const { rows } = await pool.query<TokenRow>(`${SELECT} WHERE t.id = $1`, [id]);
  return { token: toToken(rows[0]!), secret };
}

/** Revokes a token by id (or id prefix of at least 8 characters); false when none matched. */
export async function revokeToken(pool: Pool, idOrPrefix: string): Promise<ApiToken | null> {
  if (!/^[0-9a-f-]{8,36}$/i.test(idOrPrefix)) return null;
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE tributary_api_tokens SET revoked_at = coalesce(revoked_at, now())
     WHERE id::text LIKE $1 || '%' AND (SELECT count(*) FROM tributary_api_tokens WHERE id::text LIKE $1 || '%') = 1
     RETURNING id`,
    [idOrPrefix.toLowerCase()],
  );
  if (!rows[0]) return null;
  const found = await pool.query<TokenRow>(`${SELECT} WHERE t.id = $1`, [rows[0].id]);
  return toToken(found.rows[0]!);
}

export async function listTokens(pool: Pool, username?: string): Promise<ApiToken[]> {
  const { rows } = await pool.query<TokenRow>(
    `${SELECT} WHERE ($1::text IS NULL OR u.username = $1) ORDER BY t.created_at`,
    [username ?? null],
  );
  return rows.map(toToken);
}

/**
 * The principal of a bearer token: live (not revoked, not expired), its user not disabled; the
 * token's role, capped at its user's current role. Notes the use (at most once a minute).
 */
export async function authenticateToken(pool: Pool, secret: string): Promise<Principal | null> {
  const { rows } = await pool.query<{
    id: string;
    name: string;
    role: Role;
    user_id: string;
    username: string;
    user_role: Role;
  }>(
    `UPDATE tributary_api_tokens t SET last_used_at = now()
     FROM tributary_users u
     WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND u.disabled_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > now())
     RETURNING t.id, t.name, t.role, u.id AS user_id, u.username, u.role AS user_role`,
    [hashSecret(secret)],
  );
  const row = rows[0];
  if (!row) return null;
  const role = roleAtLeast(row.user_role, row.role) ? row.role : row.user_role;
  return { userId: String(row.user_id), username: row.username, role, credential: `token:${row.name}` };
}

/**
 * The token a deployment configures in the environment (ADMIN_TOKEN): stored hashed like every
 * other, under `name`, for `username`; a changed value replaces the previous one (rotation).
 */
export async function ensureEnvToken(
  pool: Pool,
  username: string,
  name: string,
  secret: string,
): Promise<void> {
  const hash = hashSecret(secret);
  const { rows } = await pool.query<{ token_hash: string }>(
    `SELECT t.token_hash FROM tributary_api_tokens t JOIN tributary_users u ON u.id = t.user_id
     WHERE u.username = $1 AND t.name = $2 AND t.revoked_at IS NULL`,
    [username, name],
  );
  if (rows.some((r) => r.token_hash === hash)) return;
  await pool.query(
    `UPDATE tributary_api_tokens SET revoked_at = now()
     WHERE name = $2 AND revoked_at IS NULL AND user_id = (SELECT id FROM tributary_users WHERE username = $1)`,
    [username, name],
  );
  await pool.query(`DELETE FROM tributary_api_tokens WHERE token_hash = $1`, [hash]);
  await createToken(pool, { username, name, secret });
}
