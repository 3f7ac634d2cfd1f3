import type { Pool } from 'pg';
import type { Principal } from './api-tokens';
import type { Role } from './roles';
import { hashSecret, newSecret } from './secrets';

/** A dashboard session: its id goes in the cookie (never stored), its CSRF token in the page. */
export interface Session {
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Opens a session for `userId` lasting `ttlMs`; the store keeps the id's sha256 only. */
export async function createSession(pool: Pool, userId: string, ttlMs: number): Promise<Session> {
  const id = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + ttlMs);
  await pool.query(
    `INSERT INTO tributary_sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`,
    [hashSecret(id), userId, csrfToken, expiresAt],
  );
  // Expired sessions of anyone are cleared as new ones open (cheap: indexed on expires_at).
  await pool.query(`DELETE FROM tributary_sessions WHERE expires_at < now()`);
  return { id, csrfToken, expiresAt };
}

/** The principal and CSRF token of a live session whose user is not disabled, else null. */
export async function findSession(
  pool: Pool,
  id: string,
): Promise<{ principal: Principal; csrfToken: string; expiresAt: Date } | null> {
  const { rows } = await pool.query<{
    user_id: string;
    username: string;
    role: Role;
    csrf_token: string;
    expires_at: Date;
  }>(
    `SELECT u.id AS user_id, u.username, u.role, s.csrf_token, s.expires_at
     FROM tributary_sessions s JOIN tributary_users u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [hashSecret(id)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    principal: { userId: String(row.user_id), username: row.username, role: row.role, credential: 'session' },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function deleteSession(pool: Pool, id: string): Promise<void> {
  await pool.query(`DELETE FROM tributary_sessions WHERE id_hash = $1`, [hashSecret(id)]);
}
