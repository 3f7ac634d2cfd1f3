import { benchPublisher } from './bench-publisher';
import { Pool } from 'pg';
import { TOPICS } from '@tributary/contracts';
import { migrate } from '@tributary/db';
import { withContracts } from '@tributary/service';
import { createTestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { rebuildSource } from '../../../services/projector/src/rebuild/rebuild';
import { copyUpsert } from './copy-ceiling';
import { cpuMeter } from './cpu';
import { CUSTOMERS, customerChunks, customerColumns } from './customer-rows';
import { dropDatabase } from './drop-database';

/** CPU per row of this process (node) and of PostgreSQL's processes: what bounds each path. */
function cpuColumns(us: { nodeUsPerRow: number; postgresUsPerRow: number }): Record<string, string> {
  return { 'node µs/row': us.nodeUsPerRow.toFixed(0), 'PG µs/row': us.postgresUsPerRow.toFixed(0) };
}

/**
 * `BENCH_ONLY=rebuild`: `tributary rebuild repcard` of `n` customer events (BENCH_REBUILD_EVENTS)
 * against a raw `COPY` + one set-based upsert of the same rows (copyUpsert, the ceiling of ADR
 * 0016), in the same run on the same PostgreSQL. The raw path is timed from encoding to commit
 * (its rows are made before the clock starts); the rebuild from its start (end offsets, shadow
 * tables) to the swap committed: the Kafka read, decode, plan and write of every event.
 */
export async function benchRebuild(n: number): Promise<Record<string, string | number>[]> {
  const { kafka, codec, producer } = await benchPublisher('bench-rebuild', `bench-rebuild-${n}`);
  const db = await createTestDatabase('bench');
  const pool = new Pool({ connectionString: db.url, max: 3 });
  // An idle connection ended by the server (another session's cleanup) must not crash the run.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, MIGRATIONS_DIR);
    console.log(`[bench]   rebuild: publishing ${n} customer events...`);
    for (const chunk of customerChunks(n, { chunk: 500 })) {
      await producer.publishAtomically(
        withContracts(chunk.events.map((e) => ({ topic: TOPICS.repcardCustomers, key: e.id, value: e }))),
      );
    }
    // The raw path before the rebuild and again after it, the ratio against the mean of the two: this
    // machine's speed drifts by up to 1.5× within minutes (as the projector benchmark's ceiling).
    const rawPass = async (when: string) => {
      console.log(`[bench]   rebuild: raw COPY + upsert of the same rows (${when})...`);
      const rawCpu = cpuMeter();
      const raw = await copyUpsert(
        pool,
        CUSTOMERS,
        customerColumns(),
        (function* () {
          for (const c of customerChunks(n)) yield c.writes;
        })(),
      );
      const us = rawCpu.stop(raw.rows);
      await pool.query(`TRUNCATE ${CUSTOMERS.table} CASCADE`);
      return { ...raw, us };
    };
    const raw = await rawPass('before');
    console.log('[bench]   rebuild: tributary rebuild repcard...');
    // The replay's own rate, from the first chunk written to the swap: what the start (end offsets,
    // shadow tables, a consumer group joining) and the swap add is fixed, whatever the row count.
    const replay = { firstMs: 0, firstRecords: 0, swapMs: 0, swapRecords: 0 };
    const rebuildCpu = cpuMeter();
    const result = await rebuildSource({
      pool,
      kafka,
      codec,
      source: 'repcard',
      chunkRecords: Number(process.env.BENCH_REBUILD_CHUNK ?? 5_000),
      // BENCH_REBUILD_PARALLEL: shadow writes side by side (the rebuild's default: 2).
      ...(process.env.BENCH_REBUILD_PARALLEL
        ? { parallelWrites: Number(process.env.BENCH_REBUILD_PARALLEL) }
        : {}),
      onProgress: (p) => {
        if (p.phase === 'replay' && p.records > 0 && replay.firstRecords === 0) {
          Object.assign(replay, { firstMs: p.elapsedMs, firstRecords: p.records });
        }
        if (p.phase === 'swap' && replay.swapMs === 0) {
          Object.assign(replay, { swapMs: p.elapsedMs, swapRecords: p.records });
        }
      },
    });
    const rebuildUs = rebuildCpu.stop(result.records);
    const replayRate =
      (replay.swapRecords - replay.firstRecords) / Math.max((replay.swapMs - replay.firstMs) / 1000, 1e-3);
    const rows = result.tables.find((t) => t.table === CUSTOMERS.table)?.rows ?? 0;
    if (rows !== n) throw new Error(`the rebuild left ${rows} customers, expected ${n}`);
    const rawAfter = await rawPass('after');
    const rawRate = (raw.rows / raw.secs + rawAfter.rows / rawAfter.secs) / 2;
    const rebuildRate = result.records / result.seconds;
    const rawRow = (when: string, pass: typeof raw) => ({
      path: `raw COPY + upsert (ceiling), ${when}`,
      rows: pass.rows,
      secs: pass.secs.toFixed(1),
      'rows/s': Math.round(pass.rows / pass.secs),
      ...cpuColumns(pass.us),
    });
    return [
      rawRow('before', raw),
      rawRow('after', rawAfter),
      {
        path: 'tributary rebuild (Kafka → shadow → swap)',
        rows: result.records,
        secs: result.seconds.toFixed(1),
        'rows/s': Math.round(rebuildRate),
        ...cpuColumns(rebuildUs),
      },
      {
        path: 'ratio rebuild / raw (mean)',
        rows: '',
        secs: '',
        'rows/s': (rebuildRate / rawRate).toFixed(2),
      },
      {
        path: 'replay alone (first chunk written to swap)',
        rows: replay.swapRecords - replay.firstRecords,
        secs: ((replay.swapMs - replay.firstMs) / 1000).toFixed(1),
        'rows/s': Math.round(replayRate),
      },
      { path: 'ratio replay / raw (mean)', rows: '', secs: '', 'rows/s': (replayRate / rawRate).toFixed(2) },
      // What the replay alone leaves out: the start (to the first chunk written) and the swap.
      {
        path: 'start (to the first chunk written)',
        rows: '',
        secs: (replay.firstMs / 1000).toFixed(2),
        'rows/s': '',
      },
      {
        path: 'swap (analyze, catch-up, renames)',
        rows: '',
        secs: (result.seconds - replay.swapMs / 1000).toFixed(2),
        'rows/s': '',
      },
    ];
  } finally {
    await producer.close();
    await pool.end();
    await dropDatabase(db);
  }
}
