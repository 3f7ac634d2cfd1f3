import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase } from '@tributary/testkit';
import { upsertRows } from '../../../services/projector/src/core/upsert';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { copyUpsert } from './copy-ceiling';
import { dropDatabase } from './drop-database';
import { settleTable } from './settle-table';
import { CUSTOMERS, customerChunks, customerColumns } from './customer-rows';
import { projectorRates, updatePassVersion, type PathRates, type ProjectorRates } from './projector-drain';

/**
 * Projector throughput against the ceiling of this PostgreSQL, in one run, on the same N customer
 * rows, each figure on empty tables and then on tables already holding the rows (every row updated
 * to a newer version):
 *   1. ceiling: COPY into a temporary table + one INSERT ... ON CONFLICT with the projector's
 *      version guard, one transaction (copyUpsert), before the others and again after them (the
 *      ratio is against their mean);
 *   2. baseline: the projector's own multi-row upsert (upsertRows), 1000 rows per transaction;
 *   3. the real projector process draining the rows from Kafka, from the first row committed.
 * The first two start from rows already mapped; the projector decodes and maps them itself.
 * BENCH_PROJECTOR_BASELINE=0 leaves the multi-row baseline out (it takes longest at 1M rows).
 */
export async function benchProjector(n: number) {
  const updatedAt = updatePassVersion();
  const before = await ceilingRates(n, updatedAt, 'before');
  const skipBaseline = process.env.BENCH_PROJECTOR_BASELINE === '0';
  if (!skipBaseline) console.log(`[bench]   multi-row upsert baseline, ${n} rows...`);
  const baseline = skipBaseline
    ? { empty: Number.NaN, update: Number.NaN }
    : await inFreshDatabase(async (pool) => {
        const pass = async (version?: string) => {
          let ms = 0;
          for (const chunk of customerChunks(n, { updatedAt: version })) {
            const t = performance.now();
            await withTransaction(pool, (db) => upsertRows(db, CUSTOMERS, chunk.writes));
            ms += performance.now() - t;
          }
          return n / (ms / 1000);
        };
        return report('multi-row upsert', { empty: await pass(), update: await pass(updatedAt) });
      });
  const projector = await projectorRates(n, updatedAt);
  const after = await ceilingRates(n, updatedAt, 'after');
  return (['empty', 'update'] as const).map((path) => row(n, path, { before, after }, baseline, projector));
}

/**
 * The ceiling on `n` rows, empty table then updating. Measured before the projector and again after
 * it: this machine's speed drifts by up to 1.5× within minutes (ADR 0023), and the ratio is taken
 * against the mean of the two, so that a ceiling measured in a fast or a slow minute does not
 * decide it alone. Both are printed.
 */
async function ceilingRates(n: number, updatedAt: string, when: 'before' | 'after'): Promise<PathRates> {
  console.log(`[bench]   COPY + upsert ceiling (${when} the projector), ${n} rows...`);
  return inFreshDatabase(async (pool) => {
    const columns = customerColumns();
    const pass = async (version?: string) => {
      const r = await copyUpsert(
        pool,
        CUSTOMERS,
        columns,
        (function* () {
          for (const c of customerChunks(n, { updatedAt: version })) yield c.writes;
        })(),
      );
      if (r.rows !== n) throw new Error(`COPY took ${r.rows} rows, expected ${n}`);
      return n / r.secs;
    };
    const empty = await pass();
    await settleTable(pool, CUSTOMERS.table);
    return report(`COPY + upsert ceiling, ${when}`, { empty, update: await pass(updatedAt) });
  });
}

function report(what: string, rates: PathRates): PathRates {
  console.log(
    `[bench]   ${what}: ${Math.round(rates.empty)} rows/s onto an empty table, ${Math.round(rates.update)} rows/s updating`,
  );
  return rates;
}

function row(
  n: number,
  path: keyof PathRates,
  ceilings: { before: PathRates; after: PathRates },
  baseline: PathRates,
  projector: ProjectorRates,
) {
  const ceiling = (ceilings.before[path] + ceilings.after[path]) / 2;
  return {
    table: path === 'empty' ? 'empty' : 'holding the rows',
    rows: n,
    'COPY+upsert ceiling rows/s before/after': `${Math.round(ceilings.before[path])}/${Math.round(ceilings.after[path])}`,
    'multi-row upsert rows/s': Math.round(baseline[path]),
    'projector rows/s': Math.round(projector[path]),
    'projector/ceiling (mean)': (projector[path] / ceiling).toFixed(2),
    'projector/baseline': (projector[path] / baseline[path]).toFixed(2),
    'projector peak RSS MiB': Math.round(projector.peakRssMiB[path]),
    'CPU µs/row projector/PG': `${projector.nodeUsPerRow[path].toFixed(0)}/${projector.postgresUsPerRow[path].toFixed(0)}`,
    target: 'projector/ceiling >= 0.70',
  };
}

async function inFreshDatabase<T>(work: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const db = await createTestDatabase('bench');
  const pool = createPool(db.url);
  try {
    await migrate(pool, MIGRATIONS_DIR);
    return await work(pool);
  } finally {
    await pool.end();
    await dropDatabase(db);
  }
}
