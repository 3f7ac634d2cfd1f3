import { waitFor } from '@tributary/testkit';
import { differences, ordersProjected as projectedOf, syncLog } from './compare';
import { startPipeline, type Pipeline } from './harness';

const ordersProjected = (p: Pipeline, syncId: string): Promise<number> => projectedOf(p.pool, syncId);

// Ctrl-C under `npm start` during a CuraGenesis full sync: the terminal's SIGINT reaches the service,
// then the runner's SIGTERM. The service stops at a page boundary within its stop timeout, logs no
// stop_failed, exits 0, and the next start resumes the run to an exact result. The request budget
// (40/s) keeps the orders phase (per-practice financials, fetched a few practices ahead) running
// when the signals arrive: 100 requests per 20 s, answered at once, so after each burst of 100 the
// fetches wait up to 20 s for the budget, longer than the 15 s stop timeout. The signals come during
// such a wait, which a stop must end at once.
const PRACTICES = 300;
const ORDERS = 20_000;
const RATE_LIMIT = 100;

describe('a CuraGenesis full sync stopped by Ctrl-C', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when SIGINT then SIGTERM arrive during the orders, then it exits 0 within its stop timeout without stop_failed and the restarted run is exact', async () => {
    p = await startPipeline(
      { seed: 5151, practices: PRACTICES, orders: ORDERS },
      {
        CURAGENESIS_RATE_LIMIT: String(RATE_LIMIT),
        CURAGENESIS_RATE_PERIOD_MS: '20000',
        CURAGENESIS_PAGE_SIZE: '200',
        INGEST_CURAGENESIS_SESSION_TIMEOUT_MS: '6000',
      },
      { ingest: 'process' },
    );
    const command = await p.request({ force: true });
    await waitFor(async () => (await ordersProjected(p, command.syncId)) > 0, {
      timeoutMs: 120_000,
      description: 'orders projected',
    });
    const requests = () => p.sim.stats().requests.financials + p.sim.stats().requests.practices;
    await waitFor(() => requests() >= RATE_LIMIT, {
      timeoutMs: 60_000,
      description: 'the first window of the budget spent',
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // waiting for the budget now
    expect(requests()).toBeLessThan(RATE_LIMIT + 5);
    const child = p.ingestProcess();
    const signalledAt = Date.now();
    child.process.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.process.kill('SIGTERM');
    const code = await child.exited;
    const stopMs = Date.now() - signalledAt;
    process.stderr.write(`Ctrl-C during the orders: exit ${code} in ${stopMs} ms\n`);
    expect(child.lines.filter((l) => l.includes('service.stop_failed'))).toEqual([]);
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(15_000);
    expect(await ordersProjected(p, command.syncId)).toBeLessThan(ORDERS);

    await p.restartIngest();
    const run = await p.waitForRun(command.syncId, 170_000);
    expect(run).toEqual({ status: 'completed', error_message: null });
    const log = await syncLog(p.pool, command.syncId);
    expect(log.orders).toMatchObject({ status: 'completed', records_inserted: ORDERS, records_failed: 0 });
    expect(await differences(p.pool, p.sim)).toEqual([]);
  }, 240_000);
});
