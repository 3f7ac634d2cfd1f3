import './isolated-namespace';
import type { Pool } from 'pg';
import { REPCARD_ENTITIES } from '@tributary/contracts';
import type { TestDatabase } from '@tributary/testkit';
import { createRepcardSimulator, type RepcardSimulator } from '../../../tools/sim-repcard/src';
import { readModelDatabase, startInProcess, userWithToken, type InProcessScheduler } from './harness';

/** GET /api/admin/sync/{source}/estimate (the dashboard's Sync Now estimate) against a RepCard simulator. */
let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let sim: RepcardSimulator;
let operator: Record<string, string>;
let viewer: Record<string, string>;
const saved = { ...process.env };

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  sim = createRepcardSimulator({ seed: 8, size: 900, rateLimit: 60, ratePeriodMs: 60_000, now: new Date() });
  const { url } = await sim.start();
  Object.assign(process.env, {
    REPCARD_API_URL: url,
    REPCARD_API_KEY: sim.config.apiKey,
    REPCARD_RATE_LIMIT: '60',
  });
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  operator = (await userWithToken(pool, 'operator')).headers;
  viewer = (await userWithToken(pool, 'viewer')).headers;
});

afterAll(async () => {
  process.env = saved;
  await api?.stop();
  await sim?.stop();
  await pool?.end();
  await db?.drop();
});

describe('Sync Now estimate', () => {
  it('when an operator asks the estimate of a full RepCard sync, then it is the dry run: pages per entity from the source totals and the duration at the budget, reused for a minute', async () => {
    const res = await fetch(`${api.url}/api/admin/sync/repcard/estimate?mode=full`, { headers: operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      requests: number;
      probes: number;
      expectedSeconds: number;
      budget: { limit: number; available: number };
      entities: { entity: string; requests: number }[];
    };
    const pages = REPCARD_ENTITIES.map((e) => Math.max(1, Math.ceil(sim.dataset.count(e) / 100)));
    expect(body.entities.map((e) => e.requests)).toEqual(pages);
    expect(body.requests).toBe(pages.reduce((a, b) => a + b, 0));
    expect(body.budget).toMatchObject({ limit: 60, available: 60 - REPCARD_ENTITIES.length });
    expect(body.expectedSeconds).toBeGreaterThan(0);
    const spent = sim.stats().totalRequests;
    const again = await fetch(`${api.url}/api/admin/sync/repcard/estimate?mode=full`, { headers: operator });
    expect(again.status).toBe(200);
    expect(sim.stats().totalRequests).toBe(spent);
  });

  it('when a viewer asks, then it is refused (the estimate spends source requests)', async () => {
    const res = await fetch(`${api.url}/api/admin/sync/repcard/estimate`, { headers: viewer });
    expect(res.status).toBe(403);
  });
});
