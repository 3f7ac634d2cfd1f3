import type { Pool } from 'pg';
import { createPool } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import {
  authenticateToken,
  checkCredentials,
  createSession,
  createToken,
  createUser,
  deleteSession,
  ensureBootstrapAdmin,
  ensureEnvToken,
  findSession,
  listAudit,
  listTokens,
  migrateAccounts,
  recordAudit,
  revokeToken,
  updateUser,
} from '../src';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('auth');
  pool = createPool(db.url, { max: 3 });
  await migrateAccounts(pool);
  await migrateAccounts(pool); // twice: nothing to do the second time
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('accounts store', () => {
  it('when a user is created, then the password checks, a wrong one or an unknown name does not, and the hash is not the password', async () => {
    await createUser(pool, 'ann', 'operator', 'ann-password-123');
    await expect(checkCredentials(pool, 'ann', 'ann-password-123')).resolves.toMatchObject({
      username: 'ann',
      role: 'operator',
    });
    await expect(checkCredentials(pool, 'ann', 'wrong-password-123')).resolves.toBeNull();
    await expect(checkCredentials(pool, 'nobody', 'ann-password-123')).resolves.toBeNull();
    const { rows } = await pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM tributary_users WHERE username = 'ann'`,
    );
    expect(rows[0]!.password_hash).not.toContain('ann-password');
    await expect(createUser(pool, 'ann', 'viewer', 'another-password')).rejects.toThrow(/exists already/);
  });

  it('when a token is created, then it authenticates until revoked, and only its hash is stored', async () => {
    const { token, secret } = await createToken(pool, { username: 'ann', name: 'ci' });
    expect(token.role).toBe('operator');
    await expect(authenticateToken(pool, secret)).resolves.toMatchObject({
      username: 'ann',
      role: 'operator',
      credential: 'token:ci',
    });
    const stored = await pool.query<{ token_hash: string }>(`SELECT token_hash FROM tributary_api_tokens`);
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(secret);
    expect((await listTokens(pool, 'ann')).map((t) => t.name)).toEqual(['ci']);
    await expect(revokeToken(pool, token.id.slice(0, 8))).resolves.toMatchObject({ id: token.id });
    await expect(authenticateToken(pool, secret)).resolves.toBeNull();
  });

  it('when a token would outrank its user, then it is refused; a lower one is kept lower', async () => {
    await expect(createToken(pool, { username: 'ann', name: 'too-much', role: 'admin' })).rejects.toThrow(
      /cannot be admin/,
    );
    const { secret } = await createToken(pool, { username: 'ann', name: 'read-only', role: 'viewer' });
    await expect(authenticateToken(pool, secret)).resolves.toMatchObject({ role: 'viewer' });
  });

  it('when a session is opened, then it finds its user until deleted; a disabled user has none', async () => {
    const user = (await checkCredentials(pool, 'ann', 'ann-password-123'))!;
    const session = await createSession(pool, user.id, 60_000);
    await expect(findSession(pool, session.id)).resolves.toMatchObject({
      csrfToken: session.csrfToken,
      principal: { username: 'ann' },
    });
    await deleteSession(pool, session.id);
    await expect(findSession(pool, session.id)).resolves.toBeNull();
    const other = await createSession(pool, user.id, 60_000);
    await updateUser(pool, 'ann', { disabled: true });
    await expect(findSession(pool, other.id)).resolves.toBeNull();
    await updateUser(pool, 'ann', { disabled: false });
  });

  it('when the bootstrap admin and env token are ensured twice, then one admin and one live env token exist; a new value replaces the old', async () => {
    await expect(ensureBootstrapAdmin(pool, 'root', 'root-password-123')).resolves.toBe(true);
    await expect(ensureBootstrapAdmin(pool, 'root', 'other-password-123')).resolves.toBe(false);
    await ensureEnvToken(pool, 'root', 'ADMIN_TOKEN', 'first-admin-token-value');
    await ensureEnvToken(pool, 'root', 'ADMIN_TOKEN', 'first-admin-token-value');
    await expect(authenticateToken(pool, 'first-admin-token-value')).resolves.toMatchObject({
      role: 'admin',
    });
    await ensureEnvToken(pool, 'root', 'ADMIN_TOKEN', 'second-admin-token-value');
    await expect(authenticateToken(pool, 'first-admin-token-value')).resolves.toBeNull();
    await expect(authenticateToken(pool, 'second-admin-token-value')).resolves.toMatchObject({
      username: 'root',
    });
    expect((await listTokens(pool, 'root')).filter((t) => !t.revokedAt)).toHaveLength(1);
  });

  it('when an action is audited, then it is listed newest first', async () => {
    await recordAudit(pool, {
      actor: 'ann',
      credential: 'session',
      action: 'sync.request',
      target: 'repcard',
      outcome: 'ok',
      details: { syncId: 's1' },
    });
    const [latest] = await listAudit(pool, 1);
    expect(latest).toMatchObject({
      actor: 'ann',
      action: 'sync.request',
      target: 'repcard',
      details: { syncId: 's1' },
    });
  });
});
