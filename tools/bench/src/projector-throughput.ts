import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createRepcardSimulator } from '../../sim-repcard/src';
import { TOPIC_NAMESPACE, TOPICS, type RecordObserved } from '@tributary/contracts';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { TransactionalPublisher } from '@tributary/kafka';
import { nullLogger } from '@tributary/observability';
import { connectPlatform, withContracts } from '@tributary/service';
import { createTestDatabase, startServiceProcess, waitFor } from '@tributary/testkit';
import { REPCARD_TABLES } from '../../../services/projector/src/projections/repcard/tables';
import { mapColumns } from '../../../services/projector/src/core/field-table';
import { upsertRows } from '../../../services/projector/src/core/upsert';
import type { RowWrite } from '../../../services/projector/src/core/row-changes';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';

/**
 * Projector throughput against a raw Postgres baseline in the same run: N customer change events
 * are put on Kafka first, then the projector (a real process) drains them; the baseline writes the
 * same rows with the same multi-row INSERT ... ON CONFLICT, with no Kafka in between.
 */
export async function benchProjector(n: number) {
  const sim = createRepcardSimulator({ seed: 11, counts: { users: 10, offices: 3, customers: n, appointments: 1, status_logs: 1, customer_attachments: 1, appointment_attachments: 1 } });
  const observedAt = new Date().toISOString();
  const events: RecordObserved[] = [];
  for (let i = 0; i < n; i++) {
    const record = sim.dataset.record('customers', i) as Record<string, unknown>;
    events.push({
      type: 'RecordObserved', version: 2, eventId: randomUUID(), source: 'repcard', entity: 'customers', id: String(record.id),
      payload: record, observedAt, sourceUpdatedAt: new Date(String(record.updatedAt)).toISOString(), syncId: null, origin: 'poll', deliveryId: null,
    });
  }

  // Baseline: the same rows straight into Postgres.
  const baseDb = await createTestDatabase('bench');
  const basePool = createPool(baseDb.url);
  await migrate(basePool, MIGRATIONS_DIR);
  const spec = REPCARD_TABLES.customers;
  const writes: RowWrite[] = events.map((e) => ({ row: mapColumns(spec.fields, e.payload as never, spec.columns).row, rawData: e.payload, versionAt: e.sourceUpdatedAt!, observedAt, syncId: null }));
  let t = performance.now();
  for (let i = 0; i < writes.length; i += 1000) await withTransaction(basePool, (db) => upsertRows(db, spec, writes.slice(i, i + 1000)));
  const baselineSecs = (performance.now() - t) / 1000;
  await basePool.end();
  await baseDb.drop();

  // Through Kafka and the projector process.
  // The bench process set TRIBUTARY_TOPIC_NAMESPACE before loading the contracts (see main.ts).
  const namespace = TOPIC_NAMESPACE;
  const topic = TOPICS.repcardCustomers;
  const { kafka, codec } = await connectPlatform({ brokers: process.env.KAFKA_BROKERS!.split(','), registryUrl: process.env.SCHEMA_REGISTRY_URL!, clientId: 'bench', logger: nullLogger() });
  const producer = await TransactionalPublisher.create({ kafka, transactionalId: `${namespace}bench`, codec });
  for (let i = 0; i < events.length; i += 2000) {
    await producer.publishAtomically(withContracts(events.slice(i, i + 2000).map((e) => ({ topic, key: e.id, value: e }))));
  }
  await producer.close();
  const db = await createTestDatabase('bench');
  const pool = new Pool({ connectionString: db.url, max: 1 });
  const projector = startServiceProcess('projector', { TRIBUTARY_TOPIC_NAMESPACE: namespace, DATABASE_URL: db.url });
  try {
    await projector.ready();
    await waitFor(async () => (await pool.query('SELECT 1 FROM repcard_customers LIMIT 1')).rowCount === 1, { timeoutMs: 120_000 });
    t = performance.now();
    await waitFor(async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM repcard_customers')).rows[0]!.n >= n, { timeoutMs: 1_800_000, intervalMs: 200 });
    const projectorSecs = (performance.now() - t) / 1000;
    const projectorRate = n / projectorSecs;
    const baselineRate = n / baselineSecs;
    return {
      rows: n,
      'baseline rows/s': Math.round(baselineRate),
      'projector rows/s': Math.round(projectorRate),
      ratio: (projectorRate / baselineRate).toFixed(2),
      target: '>= 0.50',
    };
  } finally {
    await projector.stop();
    await pool.end();
    await db.drop();
  }
}
