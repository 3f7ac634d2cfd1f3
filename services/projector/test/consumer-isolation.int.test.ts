import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { contractFor, TOPICS, type RecordObserved } from '@tributary/contracts';
import { createPool, migrate } from '@tributary/db';
import {
  createKafka,
  createPublisher,
  dlqTopicOf,
  DLQ_HEADERS,
  ensureTopics,
  runTransactionalConsumer,
  SchemaCodec,
  type BatchConsumer,
  type ContractLike,
  type DecodedBatch,
  type Publisher,
} from '@tributary/kafka';
import { createTestDatabase, fastConsumer, uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import { projectorTransaction } from '../src/core/transaction';
import { pgCheckpointer } from '../src/data-access/pg-checkpointer';
import { projectBatches } from '../src/projections';

/**
 * The projector's handler and transaction under the real consumer runtime (Kafka from the stack,
 * PostgreSQL): a transient PostgreSQL failure during a batch is retried and dead-letters nothing; a
 * record PostgreSQL refuses is dead-lettered alone as RECORD_UNSTORABLE and the partition goes on.
 * Each test reads a topic of its own, projected as repcard.customers.v1.
 */
const MIGRATIONS = join(__dirname, '..', 'migrations');
const PROJECTED_AS = TOPICS.repcardCustomers;
let db: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let codec: SchemaCodec;
let publisher: Publisher;
const topics: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('projector_consumer_isolation');
  pool = createPool(db.url, { max: 4 });
  await migrate(pool, MIGRATIONS);
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = process.env;
  kafka = createKafka({
    brokers: KAFKA_BROKERS!.split(','),
    clientId: uniqueName('projector-it'),
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 5 },
  });
  codec = new SchemaCodec({ url: SCHEMA_REGISTRY_URL! });
  publisher = await createPublisher({ kafka, codec });
});
afterAll(async () => {
  await publisher.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
  await pool.end();
  // An autovacuum worker may still be on the database: DROP ... WITH (FORCE) cannot end it; it soon leaves.
  await waitFor(
    () =>
      db.drop().then(
        () => true,
        () => false,
      ),
    { timeoutMs: 30_000, description: `drop ${db.name}` },
  );
});

/** A topic and its DLQ of their own, with the customers' contract under the topic's name. */
async function freshTopic(
  name: string,
  partitions = 1,
): Promise<{ topic: string; contract: ContractLike<RecordObserved> }> {
  const topic = uniqueName(name);
  topics.push(topic, dlqTopicOf(topic));
  await ensureTopics(
    kafka,
    [topic, dlqTopicOf(topic)].map((n) => ({ name: n, partitions, compacted: false })),
  );
  const real = contractFor(PROJECTED_AS) as ContractLike<RecordObserved>;
  return { topic, contract: { ...real, topic, subject: `${topic}-value` } };
}

let seq = 0;
function customerEvent(id: number, syncId: string, over: Record<string, unknown> = {}): RecordObserved {
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    source: 'repcard',
    entity: 'customers',
    id: String(id),
    payload: { id, firstName: `F${id}`, lastName: 'Doe', createdAt: '2024-01-01T00:00:00Z', ...over },
    observedAt: '2025-03-01T00:00:00Z',
    sourceUpdatedAt: null,
    syncId,
    origin: 'poll',
    deliveryId: null,
  };
}

/** The projector's consumer over `topic`, with `fault` run in the batch transaction after the rows are written. */
async function consume(
  topic: string,
  contract: ContractLike<RecordObserved>,
  fault: (tx: PoolClient) => Promise<void> = async () => undefined,
  parallel?: { transactions: number; soloFromRecords: number; inFlight: (n: number) => void },
): Promise<{ consumer: BatchConsumer; groupId: string }> {
  const groupId = uniqueName('projector-it-group');
  let inFlight = 0;
  const consumer = await runTransactionalConsumer<RecordObserved, PoolClient>({
    kafka,
    groupId,
    topics: [topic],
    codec,
    contractFor: () => contract,
    ...fastConsumer(8),
    ...(parallel
      ? {
          partitionsConsumedConcurrently: 8,
          groupCommit: {
            lingerMs: 2,
            concurrency: parallel.transactions,
            soloFromRecords: parallel.soloFromRecords,
          },
        }
      : {}),
    async transaction(fn) {
      parallel?.inFlight(++inFlight);
      try {
        return await projectorTransaction(pool, fn);
      } finally {
        inFlight -= 1;
      }
    },
    async handle(tx, batches: readonly DecodedBatch<RecordObserved>[]) {
      const outcomes = await projectBatches(
        tx,
        batches.map((b) => ({ topic: PROJECTED_AS, partition: b.partition, messages: b.messages })),
      );
      await fault(tx);
      return outcomes;
    },
    checkpointer: pgCheckpointer(pool),
    dlq: { maxConsecutiveFailures: 10 },
  });
  return { consumer, groupId };
}

async function endOffset(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** The first `n` records of `topic`, read by a throwaway group. */
async function readRecords(topic: string, n: number): Promise<{ headers: Record<string, string> }[]> {
  const out: { headers: Record<string, string> }[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq-reader'), maxWaitTimeInMs: 100 });
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        out.push({
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await waitFor(() => out.length >= n, { timeoutMs: 20_000, description: `${n} records of ${topic}` });
  } finally {
    await reader.disconnect();
  }
  return out;
}

const count = async (sql: string, params: unknown[]): Promise<number> =>
  (await pool.query(sql, params)).rows[0].n as number;

describe('the projector under the consumer runtime', () => {
  it('when PostgreSQL fails transiently during a batch (backend terminated, serialization failure, deadlock), then the batch is retried, written once and nothing is dead-lettered', async () => {
    const { topic, contract } = await freshTopic('projector-transient');
    const syncId = uniqueName('sync-transient');
    const faults = [
      (tx: PoolClient) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())'),
      (tx: PoolClient) => tx.query(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END $$`),
      (tx: PoolClient) => tx.query(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40P01'; END $$`),
    ];
    const injected: string[] = [];
    await publisher.publish(
      [1, 2, 3, 4, 5].map((i) => ({
        contract,
        key: String(6000 + i),
        value: customerEvent(6000 + i, syncId),
      })),
    );
    const { consumer, groupId } = await consume(topic, contract, async (tx) => {
      const fault = faults.shift();
      if (!fault) return;
      injected.push(String(faults.length));
      await fault(tx);
    });
    try {
      await waitFor(async () => (await pgCheckpointer(pool).read(groupId, topic, 0)) === '5', {
        timeoutMs: 30_000,
        description: 'offsets stored',
      });
    } finally {
      await consumer.stop();
    }
    await expect(consumer.done).resolves.toBeUndefined();

    expect(injected).toHaveLength(3);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id BETWEEN 6001 AND 6005',
        [],
      ),
    ).toBe(5);
    // Written once: the tallies of the rolled-back attempts are gone with them.
    const log = await pool.query('SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1', [
      syncId,
    ]);
    expect(log.rows).toEqual([{ records_inserted: 5, records_failed: 0 }]);
    expect(await endOffset(dlqTopicOf(topic))).toBe(0);
  });

  it('when a record is refused by PostgreSQL, then it alone is dead-lettered as RECORD_UNSTORABLE with its SQLSTATE, and the partition goes on', async () => {
    const { topic, contract } = await freshTopic('projector-unstorable');
    const syncId = uniqueName('sync-unstorable');
    await publisher.publish([
      { contract, key: '6101', value: customerEvent(6101, syncId) },
      { contract, key: '6102', value: customerEvent(6102, syncId, { userId: 1e20 }) },
      { contract, key: '6103', value: customerEvent(6103, syncId, { notes: 'NUL\u0000inside' }) },
    ]);
    const { consumer, groupId } = await consume(topic, contract);
    try {
      await waitFor(async () => (await pgCheckpointer(pool).read(groupId, topic, 0)) === '3', {
        timeoutMs: 30_000,
        description: 'offsets stored',
      });
      await publisher.publish([{ contract, key: '6104', value: customerEvent(6104, syncId) }]);
      await waitFor(async () => (await pgCheckpointer(pool).read(groupId, topic, 0)) === '4', {
        timeoutMs: 30_000,
        description: 'the next record',
      });
    } finally {
      await consumer.stop();
    }
    await expect(consumer.done).resolves.toBeUndefined();

    const ids = await pool.query(
      'SELECT repcard_customer_id::int AS id FROM repcard_customers WHERE repcard_customer_id BETWEEN 6101 AND 6104 ORDER BY 1',
    );
    expect(ids.rows.map((r) => r.id)).toEqual([6101, 6103, 6104]);
    const [dead, ...more] = await readRecords(dlqTopicOf(topic), 1);
    expect(more).toEqual([]);
    expect(dead!.headers).toMatchObject({
      [DLQ_HEADERS.errorCode]: 'RECORD_UNSTORABLE',
      [DLQ_HEADERS.originTopic]: topic,
      [DLQ_HEADERS.originOffset]: '1',
    });
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(
      /customers record 6102 refused by PostgreSQL \(SQLSTATE 22003\)/,
    );
    expect(await endOffset(dlqTopicOf(topic))).toBe(1);
    const log = await pool.query('SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1', [
      syncId,
    ]);
    expect(log.rows).toEqual([{ records_inserted: 3, records_failed: 1 }]);
  });

  it("when large batches of a topic's partitions arrive together, then each is written in its own transaction, side by side, and the rows, offsets and sync-log counts are exact", async () => {
    const { topic, contract } = await freshTopic('projector-parallel', 3);
    const syncId = uniqueName('sync-parallel');
    const ids = Array.from({ length: 3000 }, (_, i) => 70_000 + i);
    await publisher.publish(
      ids.map((id) => ({ contract, key: String(id), value: customerEvent(id, syncId) })),
    );
    const perPartition = await (async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
      } finally {
        await admin.disconnect();
      }
    })();
    // Every partition holds a large batch (murmur2 of these keys spreads them; checked, not assumed).
    expect(Math.min(...perPartition)).toBeGreaterThanOrEqual(500);
    let maxInFlight = 0;
    const { consumer, groupId } = await consume(topic, contract, undefined, {
      transactions: 3,
      soloFromRecords: 500,
      inFlight: (n) => (maxInFlight = Math.max(maxInFlight, n)),
    });
    try {
      await waitFor(
        async () =>
          (await count(
            `SELECT coalesce(sum(records_inserted + records_updated + records_unchanged + records_failed), 0)::int AS n
             FROM sync_log WHERE sync_id = $1`,
            [syncId],
          )) >= ids.length,
        { timeoutMs: 60_000, description: 'every record counted' },
      );
    } finally {
      await consumer.stop();
    }
    await expect(consumer.done).resolves.toBeUndefined();

    expect(maxInFlight).toBeGreaterThanOrEqual(2);
    // Each partition's position is stored with its rows: past its records (its offsets also count
    // the publisher's transaction markers), never past its end.
    const stored = (
      await Promise.all(perPartition.map((_, p) => pgCheckpointer(pool).read(groupId, topic, p)))
    ).map(Number);
    expect(stored.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ids.length);
    stored.forEach((o, p) => expect(o).toBeLessThanOrEqual(perPartition[p]!));
    expect(
      await count(
        'SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id BETWEEN 70000 AND 72999',
        [],
      ),
    ).toBe(3000);
    const tally = await pool.query(
      `SELECT records_inserted, records_updated, records_unchanged, records_failed FROM sync_log
       WHERE sync_id = $1 AND entity_type = 'customers'`,
      [syncId],
    );
    expect(tally.rows).toEqual([
      { records_inserted: 3000, records_updated: 0, records_unchanged: 0, records_failed: 0 },
    ]);
    expect(await endOffset(dlqTopicOf(topic))).toBe(0);
  });
});
