import { REPCARD_ENTITIES } from '@tributary/contracts';
import { waitFor } from '@tributary/testkit';
import { differences, syncLog } from '../../../libs/testkit/src/repcard-compare';
import { runCli, startPipeline, syncIdOf, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// kill -9 in the middle of a full sync, then a restart: the run resumes from its checkpoint and the
// result is exact. The API is slowed by its rate budget so that the sync takes a while.
const SIZE = 20_000;

async function pagesOf(p: Pipeline, entity: string): Promise<number> {
  const r = await p.pool.query(
    `SELECT coalesce(max(pages), 0)::int AS pages FROM sync_log WHERE entity_type = $1`,
    [entity],
  );
  return r.rows[0].pages as number;
}

describe('a full sync interrupted by kill -9', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when ingest-repcard is killed halfway and restarted, then it resumes from the checkpoint with fewer requests and the result is exact', async () => {
    p = await startPipeline(
      { seed: 202, size: SIZE, rateLimit: 40, ratePeriodMs: 1000 },
      { INGEST_REPCARD_SESSION_TIMEOUT_MS: '6000' },
    );
    const cli = runCli(p, ['--skip-users', '--skip-offices']);
    await waitFor(async () => (await pagesOf(p, 'customers')) >= 20, {
      timeoutMs: 120_000,
      description: 'customers half-synced',
    });
    await p.ingest.kill9();
    const requestsBeforeKill = p.sim.stats().totalRequests;
    await p.startIngest();
    const res = await cli;
    expect(res.code).toBe(0);
    const syncId = syncIdOf(res.stdout);
    const log = await syncLog(p.pool, syncId);
    const totalPages = REPCARD_ENTITIES.slice(2)
      .map((e) => Math.ceil(p.sim.dataset.count(e as never) / 100))
      .reduce((a, b) => a + b, 0);
    const requests = p.sim.stats().totalRequests;
    // Starting over would cost requestsBeforeKill + totalPages; resuming re-reads at most the pages in flight.
    expect(requestsBeforeKill).toBeGreaterThanOrEqual(20);
    expect(requests).toBeLessThan(totalPages + 20);
    expect(requests).toBeLessThan(requestsBeforeKill + totalPages);
    expect(log.get('customers')).toMatchObject({
      status: 'completed',
      records_fetched: p.sim.dataset.count('customers'),
      records_failed: 0,
    });
    expect(await differences(p.pool, p.sim, REPCARD_ENTITIES.slice(2))).toEqual([]);
  });

  it('when the projector is killed halfway and restarted, then no row is lost or doubled and the counts are exact', async () => {
    p = await startPipeline({ seed: 303, size: SIZE, rateLimit: 60, ratePeriodMs: 1000 });
    const cli = runCli(p, ['--skip-users', '--skip-offices']);
    await waitFor(async () => (await pagesOf(p, 'customers')) >= 20, {
      timeoutMs: 120_000,
      description: 'customers half-projected',
    });
    await p.projector.kill9();
    await p.startProjector();
    const res = await cli;
    expect(res.code).toBe(0);
    const log = await syncLog(p.pool, syncIdOf(res.stdout));
    for (const [entity, row] of log) {
      const total = p.sim.dataset.count(entity as never);
      expect({
        entity,
        fetched: row.records_fetched,
        inserted: row.records_inserted,
        updated: row.records_updated,
        unchanged: row.records_unchanged,
      }).toEqual({ entity, fetched: total, inserted: total, updated: 0, unchanged: 0 });
    }
    expect(await differences(p.pool, p.sim, REPCARD_ENTITIES.slice(2))).toEqual([]);
  });
});
