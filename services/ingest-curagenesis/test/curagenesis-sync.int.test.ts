import { differences, syncLog } from './compare';
import { runCli, startPipeline, type Pipeline } from './harness';

// CuraGenesis end to end inside the test process: simulator (port 0) → ingest-curagenesis → Kafka →
// projector → PostgreSQL. The checkpoint topic is shared with every other run on this cluster, so
// the first sync is forced (another run may have synced CuraGenesis within the hour).
const PRACTICES = 2_000;
const ORDERS = 100_000;
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ seed: 2024, practices: PRACTICES, orders: ORDERS });
}, 60_000);
afterAll(async () => {
  await p?.close();
}, 60_000);

describe('ingest-curagenesis with the projector', () => {
  let fullSyncId: string;

  it('when a full sync runs, then every practice and every order equals the simulator field for field and the sync log adds up', async () => {
    const started = Date.now();
    const command = await p.request({ force: true });
    fullSyncId = command.syncId;
    const run = await p.waitForRun(command.syncId, 230_000);
    const seconds = (Date.now() - started) / 1000;
    expect(run).toEqual({ status: 'completed', error_message: null });
    const log = await syncLog(p.pool, command.syncId);
    expect(log.practices).toMatchObject({
      status: 'completed',
      records_fetched: PRACTICES,
      records_inserted: PRACTICES,
      records_failed: 0,
    });
    expect(log.orders).toMatchObject({
      status: 'completed',
      records_fetched: ORDERS,
      records_inserted: ORDERS,
      records_failed: 0,
    });
    expect(await differences(p.pool, p.sim)).toEqual([]);
    const stats = p.sim.stats();
    expect(stats.requests.financials).toBeGreaterThanOrEqual(Math.floor(ORDERS / 200));
    const times = await p.pool.query(
      `SELECT extract(epoch FROM ingest_completed_at - started_at)::float8 AS ingest, extract(epoch FROM completed_at - started_at)::float8 AS projected FROM sync_runs WHERE sync_id = $1`,
      [command.syncId],
    );
    process.stderr.write(
      `full sync of ${PRACTICES} practices and ${ORDERS} orders: ${seconds.toFixed(1)} s (ingest ${times.rows[0].ingest.toFixed(1)} s, projected ${times.rows[0].projected.toFixed(1)} s), ${stats.total} API requests\n`,
    );
  }, 240_000);

  it('when a second sync is requested inside the hour without force, then it is skipped with its reason and nothing is fetched', async () => {
    p.sim.resetStats();
    const command = await p.request({ mode: 'incremental' });
    const run = await p.waitForRun(command.syncId, 30_000);
    expect(run.status).toBe('skipped');
    expect(run.error_message).toMatch(/at most one sync per 60 min/);
    const row = await p.pool.query(
      `SELECT sync_type, completed_at IS NOT NULL AS done FROM sync_runs WHERE sync_id = $1`,
      [command.syncId],
    );
    expect(row.rows[0]).toEqual({ sync_type: 'skipped', done: true });
    expect(p.sim.stats().total).toBe(0);
  });

  it('when the CLI asks for a sync inside the hour, then it prints the reason and exits 1', async () => {
    const res = await runCli(p, []);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/curagenesis full sync requested: [0-9a-f-]{36}/);
    expect(res.stdout).toMatch(/: skipped \(a CuraGenesis sync started .* ago .*at most one sync per 60 min/);
    expect(p.sim.stats().total).toBe(0);
  });

  it('when a forced incremental sync follows changes, then only what changed is read and the tables equal the simulator again', async () => {
    const mutation = p.sim.mutate({
      practices: { update: ['PR-000005'], insert: 2 },
      orders: { insert: 30, practiceId: 'PR-000010' },
    });
    expect(mutation.orders.inserted).toHaveLength(30);
    const command = await p.request({ mode: 'incremental', force: true });
    const run = await p.waitForRun(command.syncId);
    expect(run).toEqual({ status: 'completed', error_message: null });
    const log = await syncLog(p.pool, command.syncId);
    expect(log.practices!.records_fetched).toBeGreaterThanOrEqual(4);
    expect(log.practices!.records_fetched).toBeLessThan(PRACTICES / 10);
    expect(log.practices!.records_inserted).toBe(2);
    expect(log.orders!.records_inserted).toBe(30);
    expect(log.orders!.records_fetched).toBeLessThan(ORDERS / 10);
    expect(await differences(p.pool, p.sim)).toEqual([]);
    expect(fullSyncId).not.toBe(command.syncId);
  }, 180_000);
});
