import './isolated-namespace';
import { repcardSourcedScheduler } from './repcard-sourced';

/** GET /api/admin/reconcile/{source} against a RepCard simulator and real (empty, then seeded) read models. */

const s = repcardSourcedScheduler({ seed: 5, size: 400, rateLimit: 10_000 }, 10000);

beforeAll(async () => {
  await s.pool.query(
    `INSERT INTO repcard_offices (repcard_office_id, name, raw_data, version_at)
     SELECT g, 'office ' || g, '{}'::jsonb, now() FROM generate_series(1, $1::int) g`,
    [s.sim.dataset.count('offices')],
  );
});

interface Answer {
  plan: { requests: number; expectedSeconds: number; checks?: number };
  report?: {
    verdict: string;
    requests: number;
    rows: { entity: string; window: string; source: number | null; readModel: number; verdict: string }[];
  };
  error?: { code: string; details: Record<string, unknown> };
}

async function get(path: string, headers = s.operator): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${s.api.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Answer };
}

it('when an operator asks a month report, then every row compares the source count with the live rows', async () => {
  const { status, body } = await get(
    '/api/admin/reconcile/repcard?since=2026-01&entities=users,offices,customers',
  );
  expect(status).toBe(200);
  const row = (entity: string, window = 'all') =>
    body.report!.rows.find((r) => r.entity === entity && r.window === window)!;
  expect(row('offices')).toMatchObject({
    source: s.sim.dataset.count('offices'),
    readModel: s.sim.dataset.count('offices'),
    verdict: 'complete',
  });
  expect(row('users')).toMatchObject({ source: s.sim.dataset.count('users'), readModel: 0, verdict: 'gap' });
  expect(row('customers')).toMatchObject({ source: s.sim.dataset.count('customers'), verdict: 'gap' });
  expect(body.report!.verdict).toBe('gap');
  expect(body.report!.requests).toBe(body.plan.requests);
});

it('when dryRun=true, then only the plan comes back', async () => {
  const { status, body } = await get('/api/admin/reconcile/repcard?by=day&since=2026-01-01&dryRun=true');
  expect(status).toBe(200);
  expect(body.report).toBeUndefined();
  expect(body.plan.requests).toBe(body.plan.checks);
  expect(body.plan.requests).toBeGreaterThan(3);
});

it('when a viewer asks, bad options are given, the source is unknown or not configured, then 403, 400, 404, 503', async () => {
  expect((await get('/api/admin/reconcile/repcard?dryRun=true', s.viewer)).status).toBe(403);
  const bad = await get('/api/admin/reconcile/repcard?by=week');
  expect(bad.status).toBe(400);
  expect(bad.body.error!.details.field).toBe('by');
  expect((await get('/api/admin/reconcile/repcard?limit=3')).status).toBe(400);
  expect((await get('/api/admin/reconcile/salesforce')).status).toBe(404);
  const unset = await get('/api/admin/reconcile/curagenesis?dryRun=true');
  expect(unset.status).toBe(503);
  expect(unset.body.error!.code).toBe('SOURCE_NOT_CONFIGURED');
});
