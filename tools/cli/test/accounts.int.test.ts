import { authenticateToken, checkCredentials } from '@tributary/auth';
import { cliDatabase, runCli } from './cli-harness';

const db = cliDatabase('cli_accounts', { migrated: false });
const savedPassword = process.env.TRIBUTARY_PASSWORD;
afterAll(() => {
  process.env.TRIBUTARY_PASSWORD = savedPassword;
});

describe('tributary users and tokens', () => {
  it('when a user is added and a token created, listed and revoked, then the token works until revoked and is printed once', async () => {
    process.env.TRIBUTARY_PASSWORD = 'ops-password-0123';
    expect((await runCli('users', 'add', 'ops', '--role', 'operator')).code).toBe(0);
    await expect(checkCredentials(db.pool(), 'ops', 'ops-password-0123')).resolves.toMatchObject({
      role: 'operator',
    });
    expect((await runCli('users', 'add', 'ops', '--role', 'viewer')).code).toBe(2);

    const created = await runCli('tokens', 'create', '--user', 'ops', '--name', 'ci');
    expect(created.code).toBe(0);
    const secret = created.out.trim();
    expect(secret).toMatch(/^trb_/);
    await expect(authenticateToken(db.pool(), secret)).resolves.toMatchObject({
      username: 'ops',
      role: 'operator',
    });

    const listed = await runCli('tokens', 'list', '--json');
    expect(listed.out).not.toContain(secret);
    const [token] = JSON.parse(listed.out) as { id: string }[];
    expect((await runCli('tokens', 'revoke', token!.id.slice(0, 8))).code).toBe(0);
    await expect(authenticateToken(db.pool(), secret)).resolves.toBeNull();

    const { rows } = await db.pool().query(`SELECT action, actor FROM tributary_audit_log ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['user.create', 'token.create', 'token.revoke']);
  });

  it('when a token would outrank its user, then exit 2', async () => {
    expect((await runCli('tokens', 'create', '--user', 'ops', '--name', 'x', '--role', 'admin')).code).toBe(
      2,
    );
  });
});
