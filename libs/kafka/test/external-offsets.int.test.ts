import type { Kafka } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import { z } from 'zod';
import { TributaryError } from '@tributary/core';
import { uniqueName, waitFor } from '@tributary/testkit';
import {
  runTransactionalConsumer,
  type BatchOutcome,
  type Checkpointer,
  type DecodedBatch,
  type TransactionalConsumerOptions,
} from '../src';
import { SchemaCodec } from '../src/codec';
import { createPublisher } from '../src/publisher';
import {
  FAST_CONSUMER,
  committedOffsets,
  createTestTopics,
  deleteTopics,
  stackEnv,
  testContract,
  testKafka,
} from './kafka-helpers';

const Order = z.object({ orderId: z.string() });
type Order = z.infer<typeof Order>;

/**
 * The projector's pattern: rows and the checkpoint written in ONE PostgreSQL transaction by the
 * transactional consumer, the checkpoint read back to skip what was applied. A crash between that
 * commit and the Kafka commit must not apply the batch twice.
 */
describe('transactional consumer with a PostgreSQL checkpointer', () => {
  let kafka: Kafka;
  let pool: Pool;
  let schema: string;
  const topics: string[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    pool = new Pool({ connectionString: stackEnv().databaseUrl, max: 4 });
    schema = uniqueName('kafka_it').replace(/-/g, '_');
    await pool.query(`CREATE SCHEMA ${schema}`);
    // No unique key on the rows: a batch applied twice would show as duplicate rows.
    await pool.query(`CREATE TABLE ${schema}.orders (
      id bigserial PRIMARY KEY, order_id text NOT NULL, topic text NOT NULL, part int NOT NULL, kafka_offset bigint NOT NULL)`);
    await pool.query(`CREATE TABLE ${schema}.consumer_offsets (
      group_id text NOT NULL, topic text NOT NULL, part int NOT NULL, next_offset bigint NOT NULL,
      PRIMARY KEY (group_id, topic, part))`);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  const checkpointer: Checkpointer<PoolClient> = {
    async read(groupId, topic, partition) {
      const { rows } = await pool.query<{ next_offset: string }>(
        `SELECT next_offset FROM ${schema}.consumer_offsets WHERE group_id = $1 AND topic = $2 AND part = $3`,
        [groupId, topic, partition],
      );
      return rows[0]?.next_offset;
    },
    async store(tx, groupId, positions) {
      for (const p of positions) {
        await tx.query(
          `INSERT INTO ${schema}.consumer_offsets (group_id, topic, part, next_offset) VALUES ($1, $2, $3, $4)
           ON CONFLICT (group_id, topic, part) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
          [groupId, p.topic, p.partition, p.next],
        );
      }
    },
  };

  /** One transaction: BEGIN, `fn`, COMMIT (ROLLBACK when it throws). */
  async function transaction<R>(fn: (tx: PoolClient) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  /** Applies batches: their rows (the runtime stores the checkpoint in the same transaction). */
  async function applyBatches(
    tx: PoolClient,
    batches: readonly DecodedBatch<Order>[],
  ): Promise<BatchOutcome[]> {
    for (const batch of batches) {
      for (const m of batch.messages) {
        await tx.query(
          `INSERT INTO ${schema}.orders (order_id, topic, part, kafka_offset) VALUES ($1, $2, $3, $4)`,
          [m.value.orderId, m.topic, m.partition, m.offset],
        );
      }
    }
    return batches.map(() => ({ failures: [] }));
  }

  async function rowsPerOrder(): Promise<Map<string, number>> {
    const { rows } = await pool.query<{ order_id: string; n: string }>(
      `SELECT order_id, count(*) AS n FROM ${schema}.orders GROUP BY order_id`,
    );
    return new Map(rows.map((r) => [r.order_id, Number(r.n)]));
  }

  /** A fresh topic, its contract and a publisher, and the consumer options (store-backed) for one group. */
  async function consumerSetup(name: string) {
    const topic = uniqueName(name);
    topics.push(topic);
    await createTestTopics(kafka, [topic]);
    const contract = testContract(topic, Order);
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    const groupId = uniqueName(`${name}-group`);
    const publisher = await createPublisher({ kafka, codec });
    type Options = TransactionalConsumerOptions<Order, PoolClient>;
    const base = (handle: Options['handle'], tx: Options['transaction'] = transaction): Options => ({
      ...FAST_CONSUMER,
      kafka,
      groupId,
      topics: [topic],
      codec,
      contractFor: () => contract,
      transaction: tx,
      handle,
      checkpointer,
    });
    return { topic, contract, groupId, publisher, base };
  }

  it('when a consumer dies after its PostgreSQL commit but before the Kafka commit, then the restarted consumer does not apply that batch again', async () => {
    const { topic, contract, groupId, publisher, base } = await consumerSetup('ext-offsets');

    try {
      await publisher.publish(
        [1, 2, 3, 4, 5].map((i) => ({ contract, key: `o${i}`, value: { orderId: `o${i}` } })),
      );

      // First run: applies its first batch, then "crashes" before kafkajs may commit.
      let firstRunBatches = 0;
      const first = await runTransactionalConsumer(
        base(applyBatches, async (fn) => {
          firstRunBatches += 1;
          await transaction(fn);
          throw new TributaryError('SIMULATED_CRASH', 'killed after the PostgreSQL commit', {
            retriable: false,
          });
        }),
      );
      await expect(first.done).rejects.toMatchObject({ code: 'SIMULATED_CRASH' });
      await first.stop();
      expect(firstRunBatches).toBe(1);
      const appliedByFirst = [...(await rowsPerOrder()).values()].reduce((a, b) => a + b, 0);
      expect(appliedByFirst).toBeGreaterThan(0);
      // Kafka never heard of it: the group has no committed offset.
      expect((await committedOffsets(kafka, groupId, topic)).get(0)).toBe(-1n);

      // Second run, same group: Kafka redelivers from the start, the checkpointer says what is done.
      const seenBySecond: string[] = [];
      const second = await runTransactionalConsumer(
        base(async (tx, batches) => {
          seenBySecond.push(...batches.flatMap((b) => b.messages.map((m) => m.offset)));
          return applyBatches(tx, batches);
        }),
      );
      try {
        await publisher.publish(
          [6, 7, 8].map((i) => ({ contract, key: `o${i}`, value: { orderId: `o${i}` } })),
        );
        await waitFor(async () => (await rowsPerOrder()).size === 8, { description: '8 orders applied' });
        await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 8n, {
          description: 'Kafka offset committed',
        });
      } finally {
        await second.stop();
      }
      await expect(second.done).resolves.toBeUndefined();

      const perOrder = await rowsPerOrder();
      expect([...perOrder.keys()].sort()).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8']);
      expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
      // The second run never received what the first had applied.
      expect(seenBySecond.map(Number).every((offset) => offset >= appliedByFirst)).toBe(true);
    } finally {
      await publisher.close();
    }
  });

  it('when offsets are committed to Kafka only every interval, then a restart before that commit re-fetches but applies nothing twice, and the commit comes', async () => {
    const { topic, contract, groupId, publisher, base } = await consumerSetup('ext-offsets-interval');
    const seen: string[] = [];
    const run = (commitIntervalMs: number) =>
      runTransactionalConsumer<Order, PoolClient>({
        ...base(async (tx, batches) => {
          seen.push(...batches.flatMap((b) => b.messages.map((m) => m.value.orderId)));
          return applyBatches(tx, batches);
        }),
        commitIntervalMs,
      });
    const publish = (ids: number[]) =>
      publisher.publish(ids.map((i) => ({ contract, key: `i${i}`, value: { orderId: `i${i}` } })));
    const applied = async () => [...(await rowsPerOrder()).keys()].filter((id) => id.startsWith('i')).length;
    try {
      await publish([1, 2, 3]);
      // An interval far longer than this run: nothing reaches Kafka while it runs.
      const first = await run(600_000);
      await waitFor(async () => (await applied()) === 3, { description: '3 orders applied' });
      expect((await committedOffsets(kafka, groupId, topic)).get(0)).toBe(-1n);
      await first.stop();

      const second = await run(200);
      try {
        await publish([4, 5]);
        await waitFor(async () => (await applied()) === 5, { description: '5 orders applied' });
        // The commit rides on the first batch handled once the interval has passed.
        await new Promise((resolve) => setTimeout(resolve, 400));
        await publish([6]);
        await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 6n, {
          description: 'the interval commit reaches Kafka',
        });
      } finally {
        await second.stop();
      }
      const perOrder = await rowsPerOrder();
      expect([...perOrder.entries()].filter(([id]) => id.startsWith('i')).sort()).toEqual(
        [1, 2, 3, 4, 5, 6].map((i) => [`i${i}`, 1]),
      );
      // Handed to the handler only once each: the checkpointer filtered what Kafka re-fetched.
      expect(seen.filter((id) => id.startsWith('i')).sort()).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'i6']);
    } finally {
      await publisher.close();
    }
  });
});
