import { benchPublisher } from './bench-publisher';
import { Pool } from 'pg';
import { TOPIC_NAMESPACE, TOPICS } from '@tributary/contracts';
import { withContracts } from '@tributary/service';
import { createTestDatabase, startServiceProcess } from '@tributary/testkit';
import { commitSpanRate } from './commit-span';
import { CUSTOMERS, customerChunks } from './customer-rows';
import { dropDatabase } from './drop-database';
import { cpuMeter } from './cpu';
import { peakRssMiB } from './rss';
import { settleTable } from './settle-table';

/** Rows/s of one pass: onto empty tables, then onto tables already holding the rows (newer versions). */
export interface PathRates {
  empty: number;
  update: number;
}

/** The projector's rates, with its peak RSS (MiB) and the CPU per row of it and of PostgreSQL in each pass. */
export interface ProjectorRates extends PathRates {
  peakRssMiB: PathRates;
  /** µs of the projector process's CPU per row, from its readiness to the last row. */
  nodeUsPerRow: PathRates;
  /** µs of PostgreSQL's CPU (every backend) per row, over the same span. */
  postgresUsPerRow: PathRates;
}

/** The update pass's `updatedAt` for every record: now, in the RepCard API's format (microseconds). */
export function updatePassVersion(): string {
  return new Date().toISOString().replace('Z', '000Z');
}

const measured = new Map<number, Promise<ProjectorRates>>();

/**
 * The real projector process draining a backlog of `n` customer change events from Kafka, measured
 * from the first row committed to the last (commitSpanRate). Pass 1: the events are published, then
 * the projector starts on an empty database. Pass 2: the projector stopped, `n` newer versions of the
 * same records are published, and a projector starts again on the same database (it resumes at its
 * stored offsets), so every row is updated. Measured once per process and size: the topic is the
 * run's own (TRIBUTARY_TOPIC_NAMESPACE), so the projector and peer benchmarks share the figures.
 */
export function projectorRates(n: number, updatedAt: string): Promise<ProjectorRates> {
  let rates = measured.get(n);
  if (!rates) {
    rates = drain(n, updatedAt);
    measured.set(n, rates);
  }
  return rates;
}

async function drain(n: number, updatedAt: string): Promise<ProjectorRates> {
  const namespace = TOPIC_NAMESPACE; // set by main.ts before the contracts were loaded
  const topic = TOPICS.repcardCustomers;
  const { producer } = await benchPublisher('bench', `bench-${n}`);
  const db = await createTestDatabase('bench');
  const pool = new Pool({ connectionString: db.url, max: 1 });
  // An idle connection ended by the server (another session's cleanup) must not crash the run.
  pool.on('error', () => undefined);
  const timeoutMs = Math.max(300_000, n * 10);
  const pass = async (
    label: string,
    version?: string,
  ): Promise<{ rate: number; rss: number; nodeUs: number; postgresUs: number }> => {
    console.log(`[bench]   projector, ${label}: publishing ${n} events...`);
    for (const chunk of customerChunks(n, { updatedAt: version, chunk: 500 })) {
      await producer.publishAtomically(
        withContracts(chunk.events.map((e) => ({ topic, key: e.id, value: e }))),
      );
    }
    const projector = startServiceProcess(
      'projector',
      {
        TRIBUTARY_TOPIC_NAMESPACE: namespace,
        DATABASE_URL: db.url,
        // BENCH_SERVICE_LOG_LEVEL=debug with TRIBUTARY_TEST_LOGS=1: each batch's timing on stderr.
        LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'info',
      },
      // BENCH_PROJECTOR_ENTRY=dist/projector/main.js: the bundle the image runs (npm run build first).
      ...(process.env.BENCH_PROJECTOR_ENTRY ? [process.env.BENCH_PROJECTOR_ENTRY] : []),
    );
    let rss = 0;
    const sample = setInterval(() => {
      rss = Math.max(rss, peakRssMiB(projector.process.pid) ?? 0);
    }, 500);
    try {
      await projector.ready();
      const cpu = cpuMeter(projector.process.pid);
      const where = version ? { where: 'version_at = $1::timestamptz', whereParam: version } : {};
      const { rowsPerSec } = await commitSpanRate(pool, {
        table: CUSTOMERS.table,
        n,
        timeoutMs,
        label: 'the projector',
        ...where,
      });
      rss = Math.max(rss, peakRssMiB(projector.process.pid) ?? 0);
      const { nodeUsPerRow: nodeUs, postgresUsPerRow: postgresUs } = cpu.stop(n);
      console.log(
        `[bench]   projector, ${label}: ${Math.round(rowsPerSec)} rows/s, peak RSS ${Math.round(rss)} MiB, ` +
          `CPU µs/row: projector ${nodeUs.toFixed(0)}, PostgreSQL ${postgresUs.toFixed(0)}`,
      );
      return { rate: rowsPerSec, rss, nodeUs, postgresUs };
    } finally {
      clearInterval(sample);
      await projector.stop();
    }
  };
  try {
    const empty = await pass('empty table');
    await settleTable(pool, CUSTOMERS.table);
    const update = await pass('update path', updatedAt);
    return {
      empty: empty.rate,
      update: update.rate,
      peakRssMiB: { empty: empty.rss, update: update.rss },
      nodeUsPerRow: { empty: empty.nodeUs, update: update.nodeUs },
      postgresUsPerRow: { empty: empty.postgresUs, update: update.postgresUs },
    };
  } finally {
    await producer.close();
    await pool.end();
    await dropDatabase(db);
  }
}
