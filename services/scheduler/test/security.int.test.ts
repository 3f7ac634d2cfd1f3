import './isolated-namespace';
import type { Pool } from 'pg';
import { waitFor, type TestDatabase } from '@tributary/testkit';
import {
  adminAuth,
  collectCommands,
  readModelDatabase,
  startInProcess,
  userWithToken,
  type InProcessScheduler,
} from './harness';

const CRON_SECRET = 'test-cron-secret-0123456789abcdefghij';
let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let kafka: Awaited<ReturnType<typeof collectCommands>>;
let viewer: Awaited<ReturnType<typeof userWithToken>>;
let operator: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false', CRON_SECRET, RATE_LIMIT_PER_MINUTE: '8' });
  viewer = await userWithToken(pool, 'viewer');
  operator = await userWithToken(pool, 'operator');
  kafka = await collectCommands();
});

afterAll(async () => {
  await api?.stop();
  await kafka?.stop();
  await pool?.end();
  await db?.drop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, body: {} };
  }
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: type.includes('json') && text ? JSON.parse(text) : {},
  };
}

/** Every route that needs a role, with a harmless request for each. */
// Every row has three items: jest.each would take a missing third for a `done` callback.
const ROUTES: [string, string, unknown][] = [
  ['GET', '/api/kpis', undefined],
  ['GET', '/api/events', undefined],
  ['GET', '/api/admin/sync/repcard', undefined],
  ['GET', '/api/admin/repcard/comprehensive-sync', undefined],
  ['GET', '/api/admin/sync/runs/no-such-run', undefined],
  ['GET', '/api/admin/schedule', undefined],
  ['GET', '/api/admin/audit', undefined],
  ['GET', '/api/docs', undefined],
  ['GET', '/api/session', undefined],
  ['DELETE', '/api/session', undefined],
  ['POST', '/api/admin/sync/curagenesis', { force: true }],
  ['POST', '/api/admin/repcard/comprehensive-sync', {}],
];
const VIEWER_READS = ROUTES.filter(([m, p]) => m === 'GET' && p !== '/api/admin/audit');

describe('anonymous and cross-origin requests', () => {
  it.each(ROUTES)(
    'when %s %s comes without a credential, then 401 with WWW-Authenticate',
    async (method, path, body) => {
      const res = await call(method, path, { body });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    },
  );

  it.each(ROUTES)(
    'when %s %s comes from another origin, even with an admin token, then 403',
    async (method, path, body) => {
      const res = await call(method, path, {
        body,
        headers: { ...adminAuth, Origin: 'http://evil.example' },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ORIGIN_REFUSED');
      const site = await call(method, path, {
        body,
        headers: { ...adminAuth, 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(site.status).toBe(403);
    },
  );

  it("when the issue's attack is replayed (form post from evil.example, no credentials, ?force=true), then refused and nothing is published", async () => {
    const before = kafka.commands.length;
    const res = await call('POST', '/api/admin/sync/curagenesis?force=true', {
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: 'force=true',
    });
    expect(res.status).toBe(403);
    const noOrigin = await call('POST', '/api/admin/sync/curagenesis?force=true', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: 'force=true',
    });
    expect(noOrigin.status).toBe(415); // a form body is refused before the missing credential
    await new Promise((r) => setTimeout(r, 500));
    expect(kafka.commands.length).toBe(before);
  });

  it('when /healthz and /readyz are asked anonymously, then they answer liveness only', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(
      Object.values(ready.body.checks as Record<string, string>).every((v) => v === 'ok' || v === 'failed'),
    ).toBe(true);
  });

  it('when the same origin calls (Origin equal to Host), then it passes', async () => {
    const host = new URL(api.url).host;
    const res = await call('GET', '/api/kpis', {
      headers: { ...viewer.headers, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(res.status).toBe(200);
  });
});

describe('roles', () => {
  it.each(VIEWER_READS)('when a viewer asks %s %s, then it is served', async (method, path, _body) => {
    const res = await call(method, path, { headers: viewer.headers });
    expect(path === '/api/admin/sync/runs/no-such-run' ? 404 : 200).toBe(res.status);
  });

  it('when a viewer requests a sync, then 403 and nothing is published; the audit log shows who tried', async () => {
    const before = kafka.commands.length;
    const res = await call('POST', '/api/admin/sync/curagenesis', {
      headers: viewer.headers,
      body: { force: true },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await call('GET', '/api/admin/audit', { headers: viewer.headers })).status).toBe(403);
    expect((await call('GET', '/api/admin/audit', { headers: operator.headers })).status).toBe(403);
    const audit = await call('GET', '/api/admin/audit', { headers: adminAuth });
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({
        actor: viewer.username,
        action: 'sync.request',
        target: 'curagenesis',
        outcome: 'refused',
      }),
    );
    expect(kafka.commands.length).toBe(before);
  });

  it('when an operator requests a sync, then 202, the command names the operator, and the audit log shows who', async () => {
    const res = await call('POST', '/api/admin/sync/repcard', {
      headers: operator.headers,
      body: { incremental: true },
    });
    expect(res.status).toBe(202);
    const command = await waitFor(() => kafka.commands.find((c) => c.syncId === res.body.syncId), {
      timeoutMs: 30_000,
    });
    expect(command).toMatchObject({ requestedBy: operator.username, mode: 'incremental' });
    const audit = await call('GET', '/api/admin/audit', { headers: adminAuth });
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({
        actor: operator.username,
        credential: 'token:test',
        action: 'sync.request',
        target: 'repcard',
        outcome: 'ok',
        details: expect.objectContaining({ syncId: res.body.syncId }),
      }),
    );
  });

  it('when requestedBy is in the body or options are in the query string, then 400 naming them', async () => {
    const by = await call('POST', '/api/admin/sync/repcard', {
      headers: operator.headers,
      body: { requestedBy: 'someone-else' },
    });
    expect(by.status).toBe(400);
    expect(by.body.error.details.field).toBe('requestedBy');
    const query = await call('POST', '/api/admin/sync/repcard?incremental=true', {
      headers: operator.headers,
    });
    expect(query.status).toBe(400);
    expect(query.body.error.details.field).toBe('incremental');
  });

  it('when a token-authenticated POST sends a form body, then 415', async () => {
    const res = await call('POST', '/api/admin/sync/repcard', {
      headers: { ...operator.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: 'incremental=true',
    });
    expect(res.status).toBe(415);
  });
});

describe('coalescing', () => {
  it('when a source already has a queued sync, then a second request answers its id and publishes nothing', async () => {
    const first = await call('POST', '/api/admin/sync/curagenesis', { headers: operator.headers, body: {} });
    expect(first.status).toBe(202);
    await waitFor(() => kafka.commands.find((c) => c.syncId === first.body.syncId), { timeoutMs: 30_000 });
    const before = kafka.commands.length;
    const second = await call('POST', '/api/admin/sync/curagenesis', {
      headers: adminAuth,
      body: { force: true },
    });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ syncId: first.body.syncId, status: 'queued', coalesced: true });
    await pool.query(
      `INSERT INTO sync_runs (sync_id, source, sync_type, status) VALUES ($1, 'curagenesis', 'full', 'running')`,
      [first.body.syncId],
    );
    const third = await call('POST', '/api/admin/sync/curagenesis', { headers: adminAuth, body: {} });
    expect(third.body).toMatchObject({ syncId: first.body.syncId, status: 'running', coalesced: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(kafka.commands.length).toBe(before);
  });

  it('when one user keeps requesting, then the rate limit answers 429 with Retry-After', async () => {
    const eager = await userWithToken(pool, 'operator');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', '/api/admin/sync/curagenesis', { headers: eager.headers, body: {} });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 8).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('dashboard session', () => {
  async function login(username: string, password: string) {
    return call('POST', '/api/session', { body: { username, password } });
  }

  it('when the password is wrong, then 401, no cookie, and the attempt is audited', async () => {
    const res = await login(operator.username, 'not-the-password');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const audit = await call('GET', '/api/admin/audit', { headers: adminAuth });
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({ actor: operator.username, action: 'session.login', outcome: 'refused' }),
    );
  });

  it('when an operator signs in, then the cookie is HttpOnly SameSite=Strict, POSTs need the CSRF token, and sign-out ends the session', async () => {
    const res = await login(operator.username, operator.password);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^tributary_session=[\w-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // plain http here; behind TLS the cookie is __Host- and Secure
    const cookie = setCookie.split(';')[0]!;
    const csrf = res.body.csrfToken as string;
    expect(res.body).toMatchObject({ username: operator.username, role: 'operator' });

    expect((await call('GET', '/api/kpis', { headers: { Cookie: cookie } })).status).toBe(200);
    const me = await call('GET', '/api/session', { headers: { Cookie: cookie } });
    expect(me.body).toMatchObject({ username: operator.username, csrfToken: csrf });

    await pool.query(`UPDATE tributary_sync_requests SET requested_at = now() - interval '1 day'`); // nothing queued
    const missing = await call('POST', '/api/admin/sync/repcard', { headers: { Cookie: cookie }, body: {} });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('CSRF_REFUSED');
    const wrong = await call('POST', '/api/admin/sync/repcard', {
      headers: { Cookie: cookie, 'X-CSRF-Token': 'x'.repeat(43) },
      body: {},
    });
    expect(wrong.status).toBe(403);
    const ok = await call('POST', '/api/admin/sync/repcard', {
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
      body: { trigger: 'manual' },
    });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ trigger: 'manual', requestedBy: operator.username });

    expect((await call('DELETE', '/api/session', { headers: { Cookie: cookie } })).status).toBe(403);
    const out = await call('DELETE', '/api/session', { headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await call('GET', '/api/kpis', { headers: { Cookie: cookie } })).status).toBe(401);
  });
});

describe('external cron endpoint', () => {
  it('when the secret is missing or wrong, then 401 and nothing is published', async () => {
    const before = kafka.commands.length;
    expect((await call('POST', '/api/cron/sync', { body: {} })).status).toBe(401);
    const wrong = await call('POST', '/api/cron/sync', {
      headers: { Authorization: 'Bearer wrong-secret-wrong-secret' },
      body: {},
    });
    expect(wrong.status).toBe(401);
    expect((await call('POST', '/api/cron/sync', { headers: adminAuth, body: {} })).status).toBe(401); // an API token is not the cron secret
    expect(kafka.commands.length).toBe(before);
  });

  it('when a slot is called twice, then the second call answers the same sync and publishes nothing', async () => {
    await pool.query(`UPDATE tributary_sync_requests SET requested_at = now() - interval '1 day'`);
    await pool.query(`UPDATE sync_runs SET status = 'completed' WHERE status = 'running'`);
    const headers = { Authorization: `Bearer ${CRON_SECRET}` };
    const body = { slot: '2031-01-01T02:00:30Z', mode: 'full', sources: ['repcard'] };
    const first = await call('POST', '/api/cron/sync', { headers, body });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ slot: '2031-01-01T02:00:00.000Z', mode: 'full' });
    const syncId = first.body.syncs[0].syncId as string;
    expect(first.body.syncs[0]).toMatchObject({ source: 'repcard', status: 'requested', duplicate: false });
    const command = await waitFor(() => kafka.commands.find((c) => c.syncId === syncId), {
      timeoutMs: 30_000,
    });
    expect(command).toMatchObject({
      trigger: 'schedule',
      requestedBy: 'cron',
      mode: 'full',
      requestedAt: '2031-01-01T02:00:00.000Z',
    });
    await pool.query(`UPDATE tributary_sync_requests SET requested_at = now() - interval '1 day'`); // even once it is no longer queued
    const again = await call('POST', '/api/cron/sync', { headers, body });
    expect(again.status).toBe(200);
    expect(again.body.syncs[0]).toMatchObject({ syncId, duplicate: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      kafka.commands.filter((c) => c.requestedBy === 'cron' && c.requestedAt === '2031-01-01T02:00:00.000Z'),
    ).toHaveLength(1);
  });
});

describe('API docs', () => {
  it('when a viewer asks /api/docs, then an OpenAPI 3.1 document of the admin, cron and webhook routes comes back', async () => {
    const res = await call('GET', '/api/docs', { headers: viewer.headers });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/admin/sync/{source}',
        '/api/cron/sync',
        '/api/kpis',
        '/api/webhooks/curagenesis/order-placed',
      ]),
    );
  });
});
