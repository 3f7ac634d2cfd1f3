import './isolated-namespace';
import type { Pool } from 'pg';
import type { TestDatabase } from '@tributary/testkit';
import { createRepcardSimulator, type RepcardSimulator } from '../../../tools/sim-repcard/src';
import { readModelDatabase, startInProcess, userWithToken, type InProcessScheduler } from './harness';

/** The drift routes (ADR 0024) against a RepCard simulator and real read models holding one planted drift. */
let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let sim: RepcardSimulator;
let operator: Record<string, string>;
let viewer: Record<string, string>;
let planted: number;
const saved = { ...process.env };

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  sim = createRepcardSimulator({ seed: 6, size: 400, rateLimit: 10_000, now: new Date() });
  const { url } = await sim.start();
  Object.assign(process.env, {
    REPCARD_API_URL: url,
    REPCARD_API_KEY: sim.config.apiKey,
    REPCARD_RATE_LIMIT: '10000',
  });
  delete process.env.CURAGENESIS_API_KEY;
  delete process.env.CURAGENESIS_API_URL;
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  operator = (await userWithToken(pool, 'operator')).headers;
  viewer = (await userWithToken(pool, 'viewer')).headers;
  // The offices as the source answers them, stored; then one of them planted with another name.
  const res = await fetch(`${url}/offices?per_page=100`, { headers: { 'x-api-key': sim.config.apiKey } });
  const offices = ((await res.json()) as { result: { data: { id: number }[] } }).result.data;
  await pool.query(
    `INSERT INTO repcard_offices (repcard_office_id, name, raw_data, version_at)
     SELECT (o->>'id')::bigint, o->>'name', o, now() FROM jsonb_array_elements($1::jsonb) o`,
    [JSON.stringify(offices)],
  );
  planted = offices[0]!.id;
  await pool.query(
    `UPDATE repcard_offices SET raw_data = raw_data || '{"officeName": "Planted"}' WHERE repcard_office_id = $1`,
    [planted],
  );
});

afterAll(async () => {
  process.env = saved;
  await api?.stop();
  await sim?.stop();
  await pool?.end();
  await db?.drop();
});

interface Answer {
  plan: { requests: number; expectedSeconds: number };
  drift?: {
    verdict: string;
    requests: number;
    entities: { entity: string; sampled: number; same: number; differs: number }[];
    drifted: { entity: string; id: string; kind: string }[];
    differences: { entity: string; id: string; field: string; stored: unknown; source: unknown }[];
  };
  repair?: { published: number };
  error?: { code: string; details: Record<string, unknown> };
}

async function call(method: string, path: string, body?: unknown, headers = operator) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

it('when a planted drift is in the read model, then GET drift reports its entity, id, field, stored and source values', async () => {
  const { status, body } = await call(
    'GET',
    '/api/admin/reconcile/repcard/drift?sample=100&entities=offices',
  );
  expect(status).toBe(200);
  expect(body.drift!.verdict).toBe('drift');
  expect(body.drift!.requests).toBe(body.plan.requests);
  expect(body.drift!.entities).toEqual([
    expect.objectContaining({ entity: 'offices', sampled: sim.dataset.count('offices'), differs: 1 }),
  ]);
  expect(body.drift!.drifted).toEqual([expect.objectContaining({ id: String(planted), kind: 'differs' })]);
  expect(body.drift!.differences).toEqual([
    {
      entity: 'offices',
      id: String(planted),
      field: 'officeName',
      stored: 'Planted',
      source: expect.any(String),
    },
  ]);
});

it('when dryRun=true, then only the cost comes back, before any request', async () => {
  const { status, body } = await call('GET', '/api/admin/reconcile/repcard/drift?sample=250&dryRun=true');
  expect(status).toBe(200);
  expect(body.drift).toBeUndefined();
  expect(body.plan.requests).toBe(7 * 3);
});

it('when an operator posts a repair, then each drifted record is published as a repair event', async () => {
  const { status, body } = await call('POST', '/api/admin/reconcile/repcard/repair', {
    sample: 100,
    entities: ['offices'],
  });
  expect(status).toBe(200);
  expect(body.repair).toEqual({ published: 1 });
});

it('when a viewer asks, the sample is missing or bad, or the entity unknown, then 403 or 400', async () => {
  expect((await call('GET', '/api/admin/reconcile/repcard/drift?sample=5', undefined, viewer)).status).toBe(
    403,
  );
  expect((await call('GET', '/api/admin/reconcile/repcard/drift')).status).toBe(400);
  expect((await call('GET', '/api/admin/reconcile/repcard/drift?sample=0')).status).toBe(400);
  const unknown = await call('GET', '/api/admin/reconcile/repcard/drift?sample=5&entities=orders');
  expect(unknown.status).toBe(400);
  expect(unknown.body.error!.details.field).toBe('entities');
  expect((await call('POST', '/api/admin/reconcile/salesforce/repair', { sample: 5 })).status).toBe(404);
});
