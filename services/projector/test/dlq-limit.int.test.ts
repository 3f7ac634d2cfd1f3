import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { contractFor, TOPICS, type RecordObserved } from '@tributary/contracts';
import { createPool, migrate, withTransaction } from '@tributary/db';
import {
  createKafka,
  createPublisher,
  dlqTopicOf,
  DlqLimit,
  ensureTopics,
  replayDlq,
  runGuardedConsumer,
  runTransactionalConsumer,
  SchemaCodec,
  type ContractLike,
  type DecodedBatch,
  type GuardedConsumer,
  type Publisher,
} from '@tributary/kafka';
import { TributaryError } from '@tributary/core';
import { createTestDatabase, fastConsumer, uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import { projectorTransaction } from '../src/core/transaction';
import { pgCheckpointer } from '../src/data-access/pg-checkpointer';
import { pgDlqLimitStore } from '../src/data-access/pg-dlq-limit-store';
import { projectBatches } from '../src/projections';

/**
 * The projector's DLQ limit across restarts (issue 9): its counts saved with the checkpoint in
 * PostgreSQL, its trip kept until an operator clears it. A projector-like consumer (the real
 * projections, transaction, checkpointer and store) over a topic of its own.
 */
const MIGRATIONS = join(__dirname, '..', 'migrations');
const PROJECTED_AS = TOPICS.repcardCustomers;
let db: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let codec: SchemaCodec;
let publisher: Publisher;
const topics: string[] = [];
const guards: GuardedConsumer[] = [];

beforeAll(async () => {
  db = await createTestDatabase('projector_dlq_limit');
  pool = createPool(db.url, { max: 4 });
  await migrate(pool, MIGRATIONS);
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = process.env;
  kafka = createKafka({
    brokers: KAFKA_BROKERS!.split(','),
    clientId: uniqueName('dlq-limit-it'),
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 5 },
  });
  codec = new SchemaCodec({ url: SCHEMA_REGISTRY_URL! });
  publisher = await createPublisher({ kafka, codec });
});
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.stop()));
});
afterAll(async () => {
  await publisher.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
  await pool.end();
  await waitFor(
    () =>
      db.drop().then(
        () => true,
        () => false,
      ),
    { timeoutMs: 30_000, description: `drop ${db.name}` },
  );
});

async function freshTopic(): Promise<{ topic: string; contract: ContractLike<RecordObserved> }> {
  const topic = uniqueName('dlq-limit');
  topics.push(topic, dlqTopicOf(topic));
  await ensureTopics(
    kafka,
    [topic, dlqTopicOf(topic)].map((n) => ({ name: n, partitions: 1, compacted: false })),
  );
  const real = contractFor(PROJECTED_AS) as ContractLike<RecordObserved>;
  return { topic, contract: { ...real, topic, subject: `${topic}-value` } };
}

let seq = 0;
function customer(id: number): RecordObserved {
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    source: 'repcard',
    entity: 'customers',
    id: String(id),
    payload: { id, firstName: `F${id}`, lastName: 'Doe', createdAt: '2024-01-01T00:00:00Z' },
    observedAt: '2025-03-01T00:00:00Z',
    sourceUpdatedAt: null,
    syncId: null,
    origin: 'poll',
    deliveryId: null,
  };
}

async function produce(
  topic: string,
  contract: ContractLike<RecordObserved>,
  items: (number | 'poison')[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const item of items) {
      if (item === 'poison')
        await producer.send({ topic, messages: [{ key: 'poison', value: 'not a framed value' }], acks: -1 });
      else await publisher.publish([{ contract, key: String(item), value: customer(item) }]);
    }
  } finally {
    await producer.disconnect();
  }
}

/** What a projector process does at start: a guarded transactional consumer over the Postgres store. */
async function startProjectorLike(
  topic: string,
  contract: ContractLike<RecordObserved>,
  groupId: string,
  bug: (m: { value: RecordObserved }) => boolean = () => false,
) {
  const store = pgDlqLimitStore(pool);
  const starts = { n: 0 };
  const guard = await runGuardedConsumer({
    groupId,
    store,
    pollMs: 200,
    start: () => {
      starts.n += 1;
      return runTransactionalConsumer<RecordObserved, PoolClient>({
        kafka,
        groupId,
        topics: [topic],
        codec,
        contractFor: () => contract,
        ...fastConsumer(8),
        transaction: (fn) => projectorTransaction(pool, fn),
        // A bad deploy: the records `bug` picks fail (dead-lettered), the others are projected.
        handle: async (tx, batches: readonly DecodedBatch<RecordObserved>[]) => {
          const healthy = batches.map((b) => ({
            topic: PROJECTED_AS,
            partition: b.partition,
            messages: b.messages.filter((m) => !bug(m)),
          }));
          const outcomes = await projectBatches(tx, healthy);
          return outcomes.map((o, i) => ({
            failures: [
              ...o.failures,
              ...batches[i]!.messages.filter(bug).map((m) => ({
                offset: m.offset,
                error: new TributaryError('PROJECTION_FAILED', `bug on ${m.value.id}`),
              })),
            ],
          }));
        },
        checkpointer: pgCheckpointer(pool),
        dlq: { maxConsecutiveFailures: 3 },
        dlqLimitStore: store,
      });
    },
  });
  guards.push(guard);
  return { guard, starts, store };
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

const customers = async (ids: number[]): Promise<number> =>
  Number(
    (
      await pool.query(
        `SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id = ANY($1::bigint[])`,
        [ids],
      )
    ).rows[0].n,
  );

describe('the projector DLQ limit, stored in PostgreSQL', () => {
  it('when counts are saved in a transaction that rolls back, then nothing is stored', async () => {
    const store = pgDlqLimitStore(pool);
    const state = new DlqLimit({ maxRatio: { ratio: 0.5, window: 10 } });
    state.record(true);
    await expect(
      withTransaction(pool, async (tx) => {
        await store.save(tx, 'g-rollback', [{ topic: 't', partition: 0, state: state.state() }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.load('g-rollback', 't', 0)).toBeUndefined();
    await withTransaction(pool, (tx) =>
      store.save(tx, 'g-rollback', [{ topic: 't', partition: 0, state: state.state() }]),
    );
    expect(await store.load('g-rollback', 't', 0)).toEqual(state.state());
  });

  it('when a restarted consumer goes on failing, then its stored count trips the limit, it stays stopped across a restart, and a reset lets it project the rest', async () => {
    const { topic, contract } = await freshTopic();
    const groupId = uniqueName('dlq-limit-group');
    await produce(topic, contract, [9101, 'poison', 'poison']);

    // Run 1: two dead letters in a row (limit 3), saved with the checkpoint.
    const run1 = await startProjectorLike(topic, contract, groupId);
    await waitFor(async () => (await customers([9101])) === 1 && (await endOffset(dlqTopicOf(topic))) === 2, {
      timeoutMs: 30_000,
      description: 'run 1',
    });
    await waitFor(async () => (await run1.store.load(groupId, topic, 0))?.consecutive === 2, {
      timeoutMs: 10_000,
      description: 'counts saved',
    });
    await run1.guard.stop();

    // Run 2 (a restart): two more poison records make 4 in a row: the limit trips, nothing more is projected.
    await produce(topic, contract, ['poison', 'poison', 9102]);
    const run2 = await startProjectorLike(topic, contract, groupId);
    await waitFor(() => run2.guard.trip() !== undefined, { timeoutMs: 30_000, description: 'tripped' });
    expect(run2.guard.trip()).toMatchObject({
      groupId,
      topic,
      partition: 0,
      reason: 'consecutive',
      limit: 3,
    });
    expect(run2.guard.trip()!.message).toContain(`tributary dlq reset-limit --group ${groupId}`);
    expect(await run2.store.tripped(groupId)).toMatchObject({ groupId, reason: 'consecutive' });
    expect(await customers([9102])).toBe(0);
    expect(await endOffset(dlqTopicOf(topic))).toBeLessThanOrEqual(3);
    await run2.guard.stop();

    // Run 3 (another restart): the stored trip keeps it stopped; the consumer is never started.
    const run3 = await startProjectorLike(topic, contract, groupId);
    expect(run3.guard.trip()).toMatchObject({ groupId, reason: 'consecutive' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(run3.starts.n).toBe(0); // the guard read the trip first: the consumer never joined
    expect(await customers([9102])).toBe(0);

    // The operator acts: the same process starts consuming within a poll and projects the rest.
    expect(await run3.store.reset(groupId, 'it')).toMatchObject({ groupId });
    await waitFor(async () => (await customers([9102])) === 1, {
      timeoutMs: 30_000,
      description: 'projected after reset',
    });
    expect(run3.guard.trip()).toBeUndefined();
    expect(await endOffset(dlqTopicOf(topic))).toBe(4);
    const trips = await pool.query(`SELECT cleared_by FROM projector_dlq_trips WHERE consumer_group = $1`, [
      groupId,
    ]);
    expect(trips.rows).toEqual([{ cleared_by: 'it' }]);
  });

  it('when a bug dead-letters some records, then the others are projected within seconds, and after the fix a replay makes the read model exact (twice: nothing more)', async () => {
    const { topic, contract } = await freshTopic();
    const groupId = uniqueName('dlq-replay-group');
    let broken = true;
    const ids = [9201, 9202, 9203, 9204, 9205, 9206];
    const { guard } = await startProjectorLike(
      topic,
      contract,
      groupId,
      (m) => broken && Number(m.value.id) % 2 === 0,
    );
    const started = Date.now();
    await produce(topic, contract, ids);
    await waitFor(async () => (await customers([9201, 9203, 9205])) === 3, {
      timeoutMs: 30_000,
      description: 'the healthy records',
    });
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    await waitFor(async () => (await endOffset(dlqTopicOf(topic))) === 3, {
      timeoutMs: 10_000,
      description: 'the dead letters',
    });
    expect(await customers(ids)).toBe(3);
    expect(guard.trip()).toBeUndefined();

    broken = false; // the fix is deployed
    expect(await replayDlq({ kafka, dlqTopic: dlqTopicOf(topic) })).toEqual({
      replayed: 3,
      skipped: 0,
      byTopic: { [topic]: 3 },
    });
    await waitFor(async () => (await customers(ids)) === ids.length, {
      timeoutMs: 30_000,
      description: 'replayed records projected',
    });
    expect(await replayDlq({ kafka, dlqTopic: dlqTopicOf(topic) })).toEqual({
      replayed: 0,
      skipped: 0,
      byTopic: {},
    });
    const rows = await pool.query(
      `SELECT repcard_customer_id::int AS id, raw_data->>'firstName' AS name FROM repcard_customers WHERE repcard_customer_id = ANY($1::bigint[]) ORDER BY 1`,
      [ids],
    );
    expect(rows.rows).toEqual(ids.map((id) => ({ id, name: `F${id}` })));
  });
});
