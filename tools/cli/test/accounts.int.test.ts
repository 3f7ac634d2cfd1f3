import type { Pool } from 'pg';
import { authenticateToken, checkCredentials } from '@tributary/auth';
import { createPool } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { runProgram } from '../src/program';

let db: TestDatabase;
let pool: Pool;
const saved = { url: process.env.DATABASE_URL, pw: process.env.TRIBUTARY_PASSWORD };

beforeAll(async () => {
  db = await createTestDatabase('cli_accounts');
  pool = createPool(db.url, { max: 2 });
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  process.env.DATABASE_URL = saved.url;
  process.env.TRIBUTARY_PASSWORD = saved.pw;
  await pool?.end();
  await db?.drop();
});

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runProgram(argv), out };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('tributary users and tokens', () => {
  it('when a user is added and a token created, listed and revoked, then the token works until revoked and is printed once', async () => {
    process.env.TRIBUTARY_PASSWORD = 'ops-password-0123';
    expect((await run('users', 'add', 'ops', '--role', 'operator')).code).toBe(0);
    await expect(checkCredentials(pool, 'ops', 'ops-password-0123')).resolves.toMatchObject({
      role: 'operator',
    });
    expect((await run('users', 'add', 'ops', '--role', 'viewer')).code).toBe(2);

    const created = await run('tokens', 'create', '--user', 'ops', '--name', 'ci');
    expect(created.code).toBe(0);
    const secret = created.out.trim();
    expect(secret).toMatch(/^trb_/);
    await expect(authenticateToken(pool, secret)).resolves.toMatchObject({
      username: 'ops',
      role: 'operator',
    });

    const listed = await run('tokens', 'list', '--json');
    expect(listed.out).not.toContain(secret);
    const [token] = JSON.parse(listed.out) as { id: string }[];
    expect((await run('tokens', 'revoke', token!.id.slice(0, 8))).code).toBe(0);
    await expect(authenticateToken(pool, secret)).resolves.toBeNull();

    const { rows } = await pool.query(`SELECT action, actor FROM tributary_audit_log ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['user.create', 'token.create', 'token.revoke']);
  });

  it('when a token would outrank its user, then exit 2', async () => {
    expect((await run('tokens', 'create', '--user', 'ops', '--name', 'x', '--role', 'admin')).code).toBe(2);
  });
});
