import type { Pool } from 'pg';
import { ValidationError } from '@tributary/core';
import type { Role } from './roles';
import { hashPassword, verifyPassword } from './secrets';

export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  password_hash: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** The shortest password accepted for a user. */
export const MIN_PASSWORD_LENGTH = 12;

function toUser(row: UserRow): User {
  return {
    id: String(row.id),
    username: row.username,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    disabled: row.disabled_at !== null,
  };
}

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new ValidationError('username: 1..64 letters, digits, dot, dash, underscore or @', {
      details: { field: 'username' },
    });
  }
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw new ValidationError(`password: must be ${MIN_PASSWORD_LENGTH}..1024 characters`, {
      details: { field: 'password' },
    });
  }
}

/** Creates a user; refuses a name taken (ValidationError naming `username`). */
export async function createUser(pool: Pool, username: string, role: Role, password: string): Promise<User> {
  checkUsername(username);
  checkPassword(password);
  const hash = await hashPassword(password);
  const { rows } = await pool.query<UserRow>(
    `INSERT INTO tributary_users (username, role, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING *`,
    [username, role, hash],
  );
  if (!rows[0])
    throw new ValidationError(`username: ${username} exists already`, { details: { field: 'username' } });
  return toUser(rows[0]);
}

/** Sets a user's password (and, when given, role); false when there is no such user. */
export async function updateUser(
  pool: Pool,
  username: string,
  change: { password?: string; role?: Role; disabled?: boolean },
): Promise<boolean> {
  if (change.password !== undefined) checkPassword(change.password);
  const hash = change.password === undefined ? null : await hashPassword(change.password);
  const { rowCount } = await pool.query(
    `UPDATE tributary_users SET password_hash = coalesce($2, password_hash), role = coalesce($3, role),
       disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN coalesce(disabled_at, now()) ELSE NULL END
     WHERE username = $1`,
    [username, hash, change.role ?? null, change.disabled ?? null],
  );
  if ((rowCount ?? 0) > 0 && change.password !== undefined) {
    // A new password ends every open session of the user.
    await pool.query(
      `DELETE FROM tributary_sessions WHERE user_id = (SELECT id FROM tributary_users WHERE username = $1)`,
      [username],
    );
  }
  return (rowCount ?? 0) > 0;
}

export async function listUsers(pool: Pool): Promise<User[]> {
  const { rows } = await pool.query<UserRow>(`SELECT * FROM tributary_users ORDER BY username`);
  return rows.map(toUser);
}

export async function findUser(pool: Pool, username: string): Promise<User | null> {
  const { rows } = await pool.query<UserRow>(`SELECT * FROM tributary_users WHERE username = $1`, [username]);
  return rows[0] ? toUser(rows[0]) : null;
}

/**
 * The user when `password` is theirs and they are not disabled, else null. An unknown name costs
 * the same scrypt as a known one, so timing does not tell which names exist.
 */
export async function checkCredentials(pool: Pool, username: string, password: string): Promise<User | null> {
  const { rows } = await pool.query<UserRow>(`SELECT * FROM tributary_users WHERE username = $1`, [username]);
  const row = rows[0];
  const stored = row?.password_hash ?? DUMMY_HASH;
  const ok = await verifyPassword(password, stored);
  if (!row || !ok || row.disabled_at !== null || row.password_hash === null) return null;
  return toUser(row);
}

/** A well-formed hash no password matches (its key is random bytes), for unknown usernames. */
const DUMMY_HASH = `scrypt$32768$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.from(
  Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256),
).toString('base64url')}`;

/**
 * The first admin, from the bootstrap variables: created with role admin when no user of that name
 * exists; an existing user is left as it is (the CLI changes passwords). Returns true when created.
 */
export async function ensureBootstrapAdmin(pool: Pool, username: string, password: string): Promise<boolean> {
  if (await findUser(pool, username)) return false;
  try {
    await createUser(pool, username, 'admin', password);
    return true;
  } catch (err) {
    if (err instanceof ValidationError && (await findUser(pool, username))) return false; // a replica won the race
    throw err;
  }
}
