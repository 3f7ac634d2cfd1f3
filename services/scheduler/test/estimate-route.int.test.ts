import './isolated-namespace';
import { REPCARD_ENTITIES } from '@tributary/contracts';
import { repcardSourcedScheduler } from './repcard-sourced';

/** GET /api/admin/sync/{source}/estimate (the dashboard's Sync Now estimate) against a RepCard simulator. */

const s = repcardSourcedScheduler({ seed: 8, size: 900, rateLimit: 60, ratePeriodMs: 60_000 }, 60);

describe('Sync Now estimate', () => {
  it('when an operator asks the estimate of a full RepCard sync, then it is the dry run: pages per entity from the source totals and the duration at the budget, reused for a minute', async () => {
    const res = await fetch(`${s.api.url}/api/admin/sync/repcard/estimate?mode=full`, {
      headers: s.operator,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      requests: number;
      probes: number;
      expectedSeconds: number;
      budget: { limit: number; available: number };
      entities: { entity: string; requests: number }[];
    };
    const pages = REPCARD_ENTITIES.map((e) => Math.max(1, Math.ceil(s.sim.dataset.count(e) / 100)));
    expect(body.entities.map((e) => e.requests)).toEqual(pages);
    expect(body.requests).toBe(pages.reduce((a, b) => a + b, 0));
    expect(body.budget).toMatchObject({ limit: 60, available: 60 - REPCARD_ENTITIES.length });
    expect(body.expectedSeconds).toBeGreaterThan(0);
    const spent = s.sim.stats().totalRequests;
    const again = await fetch(`${s.api.url}/api/admin/sync/repcard/estimate?mode=full`, {
      headers: s.operator,
    });
    expect(again.status).toBe(200);
    expect(s.sim.stats().totalRequests).toBe(spent);
  });

  it('when a viewer asks, then it is refused (the estimate spends source requests)', async () => {
    const res = await fetch(`${s.api.url}/api/admin/sync/repcard/estimate`, { headers: s.viewer });
    expect(res.status).toBe(403);
  });
});
