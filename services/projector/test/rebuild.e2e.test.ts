import { differences, ENTITIES, syncLog, TABLES } from '../../../libs/testkit/src/repcard-compare';
import { runCli, runTributary, syncIdOf } from '../../../libs/testkit/src/repcard-pipeline';
import { repcardPipelineForFile } from '../../../libs/testkit/src/repcard-pipeline-for-file';
import type { RebuildResult } from '../src/rebuild/rebuild';

// `tributary rebuild repcard` through the real pipeline: simulator → ingest-repcard → Kafka →
// projector → PostgreSQL, then the rebuild CLI as an operator runs it (ADR 0021).
const pipeline = repcardPipelineForFile({
  seed: 1212,
  size: 6_000,
  rateLimit: 100_000,
  ratePeriodMs: 60_000,
});

const rebuild = (args: string[] = []) => runTributary(pipeline(), ['rebuild', 'repcard', ...args], 300_000);

/** Every row of every RepCard table by source id, without what a rebuild legitimately renews (local ids, write times). */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const entity of ENTITIES) {
    const [table, key] = TABLES[entity];
    const rows = await pipeline().pool.query<{ r: unknown }>(
      `SELECT to_jsonb(t) - 'id' - 'customer_id' - 'appointment_id' - 'created_at' - 'synced_at' AS r
       FROM ${table} t ORDER BY ${key}`,
    );
    out[entity] = rows.rows.map((r) => r.r);
  }
  return out;
}

async function unlinkedChildren(): Promise<number> {
  const res = await pipeline().pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM repcard_appointments a JOIN repcard_customers c ON c.repcard_customer_id = a.repcard_customer_id WHERE a.customer_id IS DISTINCT FROM c.id)
          + (SELECT count(*) FROM repcard_appointment_attachments aa JOIN repcard_appointments a ON a.repcard_appointment_id = aa.repcard_appointment_id
             WHERE aa.appointment_id IS DISTINCT FROM a.id OR aa.customer_id IS DISTINCT FROM a.customer_id) AS n`,
  );
  return Number(res.rows[0]!.n);
}

async function syncLogRowsOf(): Promise<unknown[]> {
  return (await pipeline().pool.query(`SELECT * FROM sync_log ORDER BY sync_id, entity_type`)).rows;
}

it('when the live tables are damaged, then a rebuild makes them equal the source again, keeps the views and the sync log, and reports its counts', async () => {
  const full = await runCli(pipeline(), []);
  expect(full.code).toBe(0);
  expect(await differences(pipeline().pool, pipeline().sim)).toEqual([]);
  const before = await snapshot();
  const log = await syncLogRowsOf();

  await pipeline().pool.query(
    `DELETE FROM repcard_appointment_attachments WHERE repcard_attachment_id % 3 = 0`,
  );
  await pipeline().pool.query(`DELETE FROM repcard_users WHERE repcard_user_id % 2 = 0`);
  await pipeline().pool.query(
    `UPDATE repcard_customers SET name = 'damaged', email = NULL WHERE repcard_customer_id % 5 = 0`,
  );
  await pipeline().pool.query(`UPDATE repcard_appointments SET customer_id = NULL`);
  expect((await differences(pipeline().pool, pipeline().sim)).length).toBeGreaterThan(0);

  const res = await rebuild(['--json']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const result = JSON.parse(res.stdout) as RebuildResult;
  expect(result.source).toBe('repcard');
  expect(result.failed).toBe(0);
  expect(result.records).toBeGreaterThan(0);
  const customers = result.tables.find((t) => t.table === 'repcard_customers');
  expect(customers?.rows).toBe(pipeline().sim.dataset.count('customers'));

  expect(await differences(pipeline().pool, pipeline().sim)).toEqual([]);
  expect(await snapshot()).toEqual(before);
  expect(await unlinkedChildren()).toBe(0);
  expect(await syncLogRowsOf()).toEqual(log);
  // The views read the new tables; no shadow or old table is left.
  const live = await pipeline().pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM repcard_customers_live`,
  );
  expect(Number(live.rows[0]!.n)).toBe(pipeline().sim.dataset.count('customers'));
  const left = await pipeline().pool.query(
    `SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_rebuild%'`,
  );
  expect(left.rows).toEqual([]);
  const fks = await pipeline().pool.query(
    `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'repcard_appointments'::regclass`,
  );
  expect(fks.rowCount).toBe(1);
  const pkey = await pipeline().pool.query(`SELECT 1 FROM pg_class WHERE relname = 'repcard_customers_pkey'`);
  expect(pkey.rowCount).toBe(1);
});

it('when a sync runs during a rebuild, then live reads keep working and the live projector projects before, during and after the swap with nothing lost or doubled', async () => {
  const logBefore = await syncLogRowsOf();
  pipeline().sim.mutate({ entity: 'customers', update: [1, 2, 3, 50, 51], at: new Date() });
  pipeline().sim.mutate({ entity: 'customers', insert: 40, at: new Date() });
  pipeline().sim.mutate({ entity: 'appointments', update: [5, 6], at: new Date() });

  let reads = 0;
  const readFailures: string[] = [];
  let reading = true;
  const reader = (async () => {
    while (reading) {
      try {
        await pipeline().pool.query(`SELECT count(*) FROM repcard_customers_live`);
        await pipeline().pool.query(
          `SELECT count(*) FROM repcard_appointments a JOIN repcard_customers c ON c.id = a.customer_id`,
        );
        reads++;
      } catch (err) {
        readFailures.push((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const [inc, res] = await Promise.all([runCli(pipeline(), ['--incremental']), rebuild()]);
  reading = false;
  await reader;
  expect(res.code).toBe(0);
  expect(inc.code).toBe(0);
  // Off a terminal: plain progress lines, each within 80 columns, then the counts.
  const lines = res.stderr.trim().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of [...lines, ...res.stdout.split('\n')]) expect(line.length).toBeLessThanOrEqual(80);
  expect(res.stderr).toMatch(/^repcard: (replay|swap|done), \d+%/m);
  expect(res.stdout).toMatch(/^rebuilt repcard: [\d,]+ records replayed/m);
  expect(res.stdout).toMatch(/^repcard_customers\s+[\d,]+$/m);
  expect(readFailures).toEqual([]);
  expect(reads).toBeGreaterThan(0);

  expect(await differences(pipeline().pool, pipeline().sim)).toEqual([]);
  expect(await unlinkedChildren()).toBe(0);
  // The runs counted before are untouched; the new run counts each record it fetched once.
  const after = (await syncLogRowsOf()) as { sync_id: string }[];
  const incId = syncIdOf(inc.stdout);
  expect(after.filter((r) => r.sync_id !== incId)).toEqual(logBefore);
  const c = (await syncLog(pipeline().pool, incId)).get('customers')!;
  expect(c.status).toBe('completed');
  expect(c.records_inserted).toBe(40);
  expect(c.records_updated).toBe(5);

  // After the swap the live projector still writes the live tables.
  pipeline().sim.mutate({ entity: 'customers', update: [7], insert: 2, at: new Date() });
  const again = await runCli(pipeline(), ['--incremental']);
  expect(again.code).toBe(0);
  const c2 = (await syncLog(pipeline().pool, syncIdOf(again.stdout))).get('customers')!;
  expect(c2.records_inserted).toBe(2);
  expect(await differences(pipeline().pool, pipeline().sim)).toEqual([]);
});

it('when the live projector commits records beyond the ends captured at start, then the swap replays them into the new tables', async () => {
  // The rebuild in this process, on the pipeline's topics: modules loaded afresh with its namespace.
  process.env.TRIBUTARY_TOPIC_NAMESPACE = pipeline().namespace;
  let rebuildModule!: typeof import('../src/rebuild/rebuild');
  let service!: typeof import('@tributary/service');
  let observability!: typeof import('@tributary/observability');
  await jest.isolateModulesAsync(async () => {
    rebuildModule = await import('../src/rebuild/rebuild');
    service = await import('@tributary/service');
    observability = await import('@tributary/observability');
  });
  const { kafka, codec } = await service.connectPlatform({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    registryUrl: process.env.SCHEMA_REGISTRY_URL!,
    clientId: 'rebuild-test',
    logger: observability.nullLogger(),
  });
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: pipeline().db.url, max: 3 });
  let incId = '';
  try {
    const result = await rebuildModule.rebuildSource({
      pool,
      kafka,
      codec,
      source: 'repcard',
      // Chunks of 7: every chunk is planned while the one before it is written (ADR 0023).
      chunkRecords: 7,
      async beforeSwap() {
        // After the captured ends: new records the live projector projects (and commits) now.
        pipeline().sim.mutate({ entity: 'customers', update: [8, 9], insert: 5, at: new Date() });
        const inc = await runCli(pipeline(), ['--incremental']);
        expect(inc.code).toBe(0);
        incId = syncIdOf(inc.stdout);
      },
    });
    expect(result.caughtUp).toBeGreaterThanOrEqual(7);
  } finally {
    await pool.end();
  }
  expect(await differences(pipeline().pool, pipeline().sim)).toEqual([]);
  expect(await unlinkedChildren()).toBe(0);
  const c = (await syncLog(pipeline().pool, incId)).get('customers')!;
  expect({ status: c.status, inserted: c.records_inserted, updated: c.records_updated }).toEqual({
    status: 'completed',
    inserted: 5,
    updated: 2,
  });
});
