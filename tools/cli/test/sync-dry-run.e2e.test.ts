import { REPCARD_ENTITIES } from '@tributary/contracts';
import { expectedDurationMs } from '@tributary/sync';
import { runTributary, startPipeline, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// `tributary sync <source> --dry-run` (issue 13 item 5): the requests a run will make, per entity,
// and its expected duration at the current budget; nothing is synced.
describe('tributary sync --dry-run', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when a full RepCard sync is dry-run, then it prints each entity page count from the source totals and the duration at the budget, and requests no sync', async () => {
    p = await startPipeline({ seed: 61, size: 4_000, rateLimit: 50, ratePeriodMs: 10_000 });
    const before = p.sim.stats().totalRequests;
    const out = await runTributary(p, ['sync', 'repcard', '--dry-run']);
    expect(out).toMatchObject({ code: 0 });
    const pages = REPCARD_ENTITIES.map((e) => Math.max(1, Math.ceil(p.sim.dataset.count(e) / 100)));
    for (const [i, entity] of REPCARD_ENTITIES.entries())
      expect(out.stdout).toMatch(new RegExp(`${entity}\\s+${pages[i]} requests`));
    const total = pages.reduce((a, b) => a + b, 0);
    expect(out.stdout).toContain(`total ${total} requests`);
    // 50 per 10 s, 7 spent on the totals (the server's X-RateLimit-Remaining says 43 are left).
    const seconds = Math.ceil(
      expectedDurationMs(total, { limit: 50, periodMs: 10_000, available: 43 }, 150, 8) / 1000,
    );
    expect(out.stdout).toContain(`about ${seconds} s at the current budget (50 per 10 s, 43 available now)`);
    expect(out.stdout).toContain('finding this out cost 7 requests');
    for (const line of out.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(p.sim.stats().totalRequests - before).toBe(REPCARD_ENTITIES.length);
    const { rows } = await p.pool.query('SELECT 1 FROM sync_runs');
    expect(rows).toHaveLength(0);
  }, 300_000);
});
