import type { Pool } from 'pg';
import { loadStackEnv } from '@tributary/config';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { copyUpsertRows, encodeCopyAhead } from '../../../services/projector/src/core/copy-upsert';
import type { RowWrite } from '../../../services/projector/src/core/row-changes';
import { copyUpsert } from './copy-ceiling';
import { cpuSecondsByPid, cpuSecondsSince } from './cpu';
import { CUSTOMERS, customerChunks, customerColumns } from './customer-rows';
import { dropDatabase } from './drop-database';
import { updatePassVersion } from './projector-drain';

/**
 * PostgreSQL's CPU per row on the update path by transaction shape, without Kafka or the projector
 * process (ADR 0023, addendum 8): each shape on a fresh table of N customers (filled by one COPY +
 * upsert, then vacuumed), updated to a newer version of every row, then the cost of one full count
 * of the table (what the benchmark's poll used to run every 500 ms). Shapes (SHAPES, comma-separated):
 *   one         the ceiling: COPY + one upsert, one transaction
 *   tx<R>x<L>   the projector's own copyUpsertRows, transactions of R rows, L of them side by side
 *   part<R>     the same, rows spread over 3 lanes by key hash, R rows per lane's transaction, the
 *               three side by side: the live projector's three partitions
 * `npx tsx tools/bench/src/update-shapes.ts` (needs the stack); UPDATE_SHAPES_ROWS (1000000),
 * UPDATE_SHAPES (one,tx2400x1,tx2400x3,part2400).
 */
const N = Number(process.env.UPDATE_SHAPES_ROWS ?? 1_000_000);
const SHAPES = (process.env.UPDATE_SHAPES ?? 'one,tx2400x1,tx2400x3,part2400').split(',');

/** FNV-1a of a key: a stable spread over lanes (like Kafka's partitioner, not the same one). */
function laneOf(key: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}

/** Writes each batch `batches` yields in a transaction of its own (copyUpsertRows), at most `lanes` at once. */
async function transactions(pool: Pool, batches: Iterable<RowWrite[]>, lanes: number): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (const writes of batches) {
    encodeCopyAhead(writes);
    while (inFlight.size >= lanes) await Promise.race(inFlight);
    const p: Promise<void> = withTransaction(pool, async (tx) => {
      await copyUpsertRows(tx, CUSTOMERS, writes);
    }).then(() => {
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/** The N customers in batches of `rows`: as the simulator made them, or at `version` (every row newer). */
function* updates(version: string | undefined, rows: number): Generator<RowWrite[]> {
  for (const c of customerChunks(N, { updatedAt: version, chunk: rows })) yield c.writes;
}

function* partitioned(version: string, rows: number): Generator<RowWrite[]> {
  for (const writes of updates(version, rows * 3)) {
    const lanes: RowWrite[][] = [[], [], []];
    for (const w of writes) lanes[laneOf(String(w.row[CUSTOMERS.key]), 3)]!.push(w);
    yield* lanes;
  }
}

async function update(pool: Pool, shape: string, version: string): Promise<void> {
  const tx = /^tx(\d+)x(\d+)$/.exec(shape);
  const part = /^part(\d+)$/.exec(shape);
  if (shape === 'one') await copyUpsert(pool, CUSTOMERS, customerColumns(), updates(version, 5000));
  else if (tx) await transactions(pool, updates(version, Number(tx[1])), Number(tx[2]));
  else if (part) await transactions(pool, partitioned(version, Number(part[1])), 3);
  else throw new Error(`unknown shape ${shape}: one, tx<rows>x<lanes> or part<rows>`);
}

async function main(): Promise<void> {
  loadStackEnv();
  for (const shape of SHAPES) {
    const db = await createTestDatabase('bench');
    const pool = createPool(db.url, { max: 4 });
    try {
      await migrate(pool, MIGRATIONS_DIR);
      await copyUpsert(pool, CUSTOMERS, customerColumns(), updates(undefined, 5000));
      await pool.query(`VACUUM (ANALYZE) ${CUSTOMERS.table}`);
      const version = updatePassVersion();
      const pg0 = cpuSecondsByPid('postgres');
      const t0 = performance.now();
      await update(pool, shape, version);
      const secs = (performance.now() - t0) / 1000;
      const pgUs = (cpuSecondsSince('postgres', pg0) * 1e6) / N;
      const c0 = cpuSecondsByPid('postgres');
      const q0 = performance.now();
      await pool.query(`SELECT count(*) FROM ${CUSTOMERS.table} WHERE version_at = $1::timestamptz`, [
        version,
      ]);
      const countMs = performance.now() - q0;
      const countCpuMs = cpuSecondsSince('postgres', c0) * 1000;
      console.log(
        `[update-shapes] ${shape}: ${Math.round(N / secs)} rows/s, PostgreSQL ${pgUs.toFixed(0)} µs/row; ` +
          `then one count of the table: ${countMs.toFixed(0)} ms, ${countCpuMs.toFixed(0)} ms of PostgreSQL CPU`,
      );
    } finally {
      await pool.end();
      await dropDatabase(db);
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
