import './isolated-namespace';
import { startServiceProcess, type TestDatabase } from '@tributary/testkit';
import type { Pool } from 'pg';
import { readModelDatabase } from './harness';

/** The environment without any scheduler secret inherited from the test runner. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', SCHEDULE_ENABLED: 'false', ...extra };
  for (const k of ['ADMIN_PASSWORD', 'ADMIN_TOKEN', 'CRON_SECRET', 'TRIBUTARY_DEMO'])
    if (!(k in extra)) delete env[k];
  return env;
}

describe('fail closed', () => {
  it.each([
    [{}, 'ADMIN_PASSWORD: is required but not set'],
    [{ ADMIN_PASSWORD: 'tributary-demo-admin' }, 'ADMIN_PASSWORD: is the public demo password'],
    [
      { ADMIN_PASSWORD: 'a-good-admin-password', CRON_SECRET: 'only-sixteen-chars!' },
      'CRON_SECRET: must be at least 32 characters',
    ],
  ])(
    'when started outside demo mode with %j, then it exits 78 naming the variable',
    async (extra, message) => {
      const svc = startServiceProcess('scheduler', baseEnv(extra as Record<string, string>));
      expect(await svc.exited).toBe(78);
      expect(svc.lines.join('\n')).toContain(`scheduler: configuration error: ${message}`);
    },
  );
});

describe('no secret in any output', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    ({ db, pool } = await readModelDatabase());
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('when the scheduler runs with known secrets and is called right and wrong, then no secret appears in its logs or answers', async () => {
    const secrets = {
      ADMIN_PASSWORD: 'known-admin-password-7f3a9c',
      ADMIN_TOKEN: 'known-admin-token-5d1e8b2c4a',
      CRON_SECRET: 'known-cron-secret-0123456789abcdef0123',
    };
    const svc = startServiceProcess(
      'scheduler',
      baseEnv({ ...secrets, DATABASE_URL: db.url, LOG_LEVEL: 'debug' }),
    );
    const answers: string[] = [];
    try {
      const url = `http://127.0.0.1:${await svc.port()}`;
      const call = async (
        method: string,
        path: string,
        headers: Record<string, string> = {},
        body?: unknown,
      ) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      };
      const admin = { Authorization: `Bearer ${secrets.ADMIN_TOKEN}` };
      await call('POST', '/api/session', {}, { username: 'admin', password: secrets.ADMIN_PASSWORD });
      await call(
        'POST',
        '/api/session',
        {},
        { username: 'admin', password: `${secrets.ADMIN_PASSWORD}-wrong` },
      );
      await call('GET', '/api/session', admin);
      await call('GET', '/api/kpis', { Authorization: `Bearer ${secrets.ADMIN_TOKEN}x` });
      await call('GET', '/api/admin/audit', admin);
      await call('GET', '/api/docs', admin);
      await call(
        'POST',
        '/api/cron/sync',
        { Authorization: `Bearer ${secrets.CRON_SECRET}` },
        { slot: '2031-02-02T00:00:00Z' },
      );
      await call('POST', '/api/cron/sync', { Authorization: `Bearer ${secrets.CRON_SECRET}0` }, {});
      await call('POST', '/api/admin/sync/repcard', admin, { requestedBy: secrets.CRON_SECRET.slice(0, 5) });
      await call('GET', '/readyz');
    } finally {
      await svc.stop();
    }
    const output = [...svc.lines, ...answers].join('\n');
    expect(svc.lines.some((l) => l.includes('"service.started"'))).toBe(true);
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, found: output.includes(value) }).toEqual({ name, found: false });
    }
    const { rows } = await pool.query(`SELECT * FROM tributary_audit_log`);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(Object.values(secrets).join('|')));
  });
});
