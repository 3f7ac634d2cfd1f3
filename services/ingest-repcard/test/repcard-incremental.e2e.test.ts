import { differences, syncLog } from '../../../libs/testkit/src/repcard-compare';
import { runCli, startPipeline, syncIdOf, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// Incremental sync after a full one: updates, inserts, and a record exactly at the window's
// inclusive lower bound are all applied, and only the window is fetched.
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline(
    { seed: 404, size: 8_000, rateLimit: 100_000, ratePeriodMs: 60_000 },
    { REPCARD_OVERLAP_DAYS: '1' },
  );
});
afterAll(async () => {
  await p?.close();
});

it('when records change after a full sync, then an incremental sync applies updates, inserts and boundary records and fetches only the window', async () => {
  const full = await runCli(p, []);
  expect(full.code).toBe(0);
  const hwm = (
    await p.pool.query(
      `SELECT high_water_mark FROM repcard_sync_log WHERE sync_id = $1 AND entity_type = 'customers'`,
      [syncIdOf(full.stdout)],
    )
  ).rows[0].high_water_mark as string;
  // The incremental window starts at the high-water mark's date minus one day, inclusive.
  const lowerBound = new Date(`${hwm.slice(0, 10)}T00:00:00Z`);
  lowerBound.setUTCDate(lowerBound.getUTCDate() - 1);

  const customers = p.sim.dataset.count('customers');
  p.sim.mutate({ entity: 'customers', update: [1, 2, 3, 50, 51], at: new Date() });
  p.sim.mutate({ entity: 'customers', update: [10], at: lowerBound }); // exactly on the boundary
  p.sim.mutate({ entity: 'customers', insert: 7, at: new Date() });
  p.sim.mutate({ entity: 'appointments', update: [5, 6], at: new Date() });
  p.sim.mutate({ entity: 'status_logs', insert: 3, at: new Date() });

  const inc = await runCli(p, ['--incremental']);
  expect(inc.code).toBe(0);
  const log = await syncLog(p.pool, syncIdOf(inc.stdout));
  const c = log.get('customers')!;
  // All six updates and seven inserts are seen; the window holds far fewer than all customers.
  expect(c.records_inserted).toBe(7);
  expect(c.records_updated).toBe(6);
  expect(c.records_fetched!).toBeLessThan(customers / 4);
  expect(log.get('appointments')!.records_updated).toBe(2);
  expect(log.get('status_logs')!.records_inserted).toBe(3);
  expect(await differences(p.pool, p.sim)).toEqual([]);
  const boundary = await p.pool.query(
    `SELECT updated_at FROM repcard_customers WHERE repcard_customer_id = $1`,
    [p.sim.dataset.idOf('customers', 10)],
  );
  expect((boundary.rows[0].updated_at as Date).toISOString()).toBe(lowerBound.toISOString());
});
