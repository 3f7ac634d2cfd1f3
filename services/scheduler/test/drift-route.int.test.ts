import './isolated-namespace';
import { repcardSourcedScheduler } from './repcard-sourced';

/** The drift routes (ADR 0024) against a RepCard simulator and real read models holding one planted drift. */
let planted: number;

const s = repcardSourcedScheduler({ seed: 6, size: 400, rateLimit: 10_000 }, 10000);

beforeAll(async () => {
  // The offices as the source answers them, stored; then one of them planted with another name.
  const res = await fetch(`${s.url}/offices?per_page=100`, { headers: { 'x-api-key': s.sim.config.apiKey } });
  const offices = ((await res.json()) as { result: { data: { id: number }[] } }).result.data;
  await s.pool.query(
    `INSERT INTO repcard_offices (repcard_office_id, name, raw_data, version_at)
     SELECT (o->>'id')::bigint, o->>'name', o, now() FROM jsonb_array_elements($1::jsonb) o`,
    [JSON.stringify(offices)],
  );
  planted = offices[0]!.id;
  await s.pool.query(
    `UPDATE repcard_offices SET raw_data = raw_data || '{"officeName": "Planted"}' WHERE repcard_office_id = $1`,
    [planted],
  );
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

async function call(method: string, path: string, body?: unknown, headers = s.operator) {
  const res = await fetch(`${s.api.url}${path}`, {
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
    expect.objectContaining({ entity: 'offices', sampled: s.sim.dataset.count('offices'), differs: 1 }),
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
  expect((await call('GET', '/api/admin/reconcile/repcard/drift?sample=5', undefined, s.viewer)).status).toBe(
    403,
  );
  expect((await call('GET', '/api/admin/reconcile/repcard/drift')).status).toBe(400);
  expect((await call('GET', '/api/admin/reconcile/repcard/drift?sample=0')).status).toBe(400);
  const unknown = await call('GET', '/api/admin/reconcile/repcard/drift?sample=5&entities=orders');
  expect(unknown.status).toBe(400);
  expect(unknown.body.error!.details.field).toBe('entities');
  expect((await call('POST', '/api/admin/reconcile/salesforce/repair', { sample: 5 })).status).toBe(404);
});
