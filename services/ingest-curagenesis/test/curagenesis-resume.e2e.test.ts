import { waitFor } from '@tributary/testkit';
import { differences, ordersProjected as projectedOf, syncLog } from './compare';
import { startPipeline, type Pipeline } from './harness';

const ordersProjected = (p: Pipeline, syncId: string): Promise<number> => projectedOf(p.pool, syncId);

// kill -9 of ingest-curagenesis in the middle of a full sync, then a restart: the run resumes from
// its last committed checkpoint (its orders cursor) and the result is exact. The request budget
// (40/s) makes the orders phase last long enough to be interrupted.
const PRACTICES = 600;
const ORDERS = 40_000;
const PAGE_SIZE = 200;

/** Financials requests of an uninterrupted full sync: one per page of each practice's orders (at least one). */
function financialsRequestsOfOneSync(p: Pipeline): number {
  let n = 0;
  for (const practice of p.sim.dataset.iteratePractices()) {
    n += Math.max(1, Math.ceil(p.sim.dataset.ordersOfPractice(practice.practiceId).length / PAGE_SIZE));
  }
  return n;
}

describe('a CuraGenesis full sync interrupted by kill -9', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when ingest-curagenesis is killed during the orders and restarted, then it resumes with few repeated requests and the result is exact', async () => {
    p = await startPipeline(
      { seed: 4242, practices: PRACTICES, orders: ORDERS },
      {
        CURAGENESIS_RATE_LIMIT: '40',
        CURAGENESIS_RATE_PERIOD_MS: '1000',
        CURAGENESIS_PAGE_SIZE: String(PAGE_SIZE),
        INGEST_CURAGENESIS_SESSION_TIMEOUT_MS: '6000',
      },
      { ingest: 'process' },
    );
    const command = await p.request({ force: true });
    await waitFor(async () => (await ordersProjected(p, command.syncId)) >= ORDERS / 4, {
      timeoutMs: 120_000,
      description: 'a quarter of the orders projected',
    });
    await p.ingestProcess().kill9();
    const financialsBeforeKill = p.sim.stats().requests.financials;
    const projectedBeforeKill = await ordersProjected(p, command.syncId);
    expect(projectedBeforeKill).toBeLessThan(ORDERS);

    await p.restartIngest();
    const run = await p.waitForRun(command.syncId, 170_000);
    expect(run).toEqual({ status: 'completed', error_message: null });

    const log = await syncLog(p.pool, command.syncId);
    expect(log.practices).toMatchObject({
      status: 'completed',
      records_inserted: PRACTICES,
      records_failed: 0,
    });
    expect(log.orders).toMatchObject({ status: 'completed', records_inserted: ORDERS, records_failed: 0 });
    expect(await differences(p.pool, p.sim)).toEqual([]);

    // Starting over would repeat every financials request made before the kill; resuming repeats at
    // most the pages in flight (a few practices ahead, one orders batch).
    const oneSync = financialsRequestsOfOneSync(p);
    const financials = p.sim.stats().requests.financials;
    process.stderr.write(
      `resume: ${projectedBeforeKill} orders projected before kill -9, financials requests ${financialsBeforeKill} before, ${financials} in all, ${oneSync} for one uninterrupted sync\n`,
    );
    expect(financialsBeforeKill).toBeGreaterThan(oneSync / 5);
    expect(financials).toBeLessThan(oneSync + 30);
    expect(financials).toBeLessThan(oneSync + financialsBeforeKill);
  }, 240_000);
});
