import { Partitioners, type Kafka } from 'kafkajs';
import { z } from 'zod';
import { DependencyError } from '@tributary/core';
import { uniqueName, waitFor } from '@tributary/testkit';
import {
  runBatchConsumer,
  type BatchConsumer,
  type BatchConsumerOptions,
} from '../src/consumer/batch-consumer';
import { SchemaCodec } from '../src/codec';
import type { ContractLike } from '../src/contract';
import { createPublisher, type Publisher } from '../src/publisher';
import {
  FAST_CONSUMER,
  committedOffsets,
  createTestTopics,
  deleteTopics,
  stackEnv,
  testContract,
  testKafka,
} from './kafka-helpers';

const Tick = z.object({ n: z.number().int() });
type Tick = z.infer<typeof Tick>;

describe('runBatchConsumer', () => {
  let kafka: Kafka;
  let codec: SchemaCodec;
  let publisher: Publisher;
  const topics: string[] = [];
  const consumers: BatchConsumer[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    codec = new SchemaCodec({ url: stackEnv().registryUrl });
    publisher = await createPublisher({ kafka, codec });
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await publisher.close();
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  async function setup(name: string, partitions = 1) {
    const topic = uniqueName(name);
    topics.push(topic);
    await createTestTopics(kafka, [topic], partitions);
    return { topic, contract: testContract(topic, Tick), groupId: uniqueName(`${name}-group`) };
  }

  async function consume(
    contract: ContractLike<Tick>,
    options: Pick<BatchConsumerOptions<Tick>, 'groupId' | 'handleBatch'> &
      Partial<BatchConsumerOptions<Tick>>,
  ): Promise<BatchConsumer> {
    const consumer = await runBatchConsumer<Tick>({
      ...FAST_CONSUMER,
      kafka,
      codec,
      topics: [contract.topic],
      contractFor: () => contract,
      ...options,
    });
    consumers.push(consumer);
    return consumer;
  }

  const ticks = (contract: ContractLike<Tick>, ns: number[], key?: (n: number) => string) =>
    ns.map((n) => ({ contract, key: key ? key(n) : `k${n}`, value: { n } }));

  it('when the handler fails with a retriable error, then the batch is redelivered and committed once it succeeds', async () => {
    const { topic, contract, groupId } = await setup('consumer-retry');
    await publisher.publish(ticks(contract, [1, 2, 3]));
    const deliveries: number[][] = [];
    const consumer = await consume(contract, {
      groupId,
      handleBatch: async (batch) => {
        deliveries.push(batch.messages.map((m) => m.value.n));
        if (deliveries.length <= 2) throw new DependencyError('DB_UNAVAILABLE', 'database restarting');
      },
    });
    await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 3n, {
      description: 'commit',
    });
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    expect(deliveries.slice(0, 3).map((d) => d[0])).toEqual([1, 1, 1]);
    await consumer.stop();
    await expect(consumer.done).resolves.toBeUndefined();
  });

  it('when stop() is called during a batch, then the batch finishes and is committed before the consumer leaves', async () => {
    const { topic, contract, groupId } = await setup('consumer-stop');
    await publisher.publish(ticks(contract, [1, 2]));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    let finished = false;
    const consumer = await consume(contract, {
      groupId,
      handleBatch: async () => {
        started = true;
        await gate;
        finished = true;
      },
    });
    await waitFor(() => started, { description: 'batch in flight' });
    const stopping = consumer.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    await expect(consumer.done).resolves.toBeUndefined();
    expect((await committedOffsets(kafka, groupId, topic)).get(0)).toBe(2n);
  });

  it('when the handler pauses its partition, then that partition waits while the others go on, until resumed', async () => {
    const { contract, groupId } = await setup('consumer-pause', 2);
    const seen: { partition: number; n: number }[] = [];
    let resumeFirst: (() => void) | undefined;
    let pausedPartition: number | undefined;
    await consume(contract, {
      groupId,
      handleBatch: async (batch, ctx) => {
        seen.push(...batch.messages.map((m) => ({ partition: batch.partition, n: m.value.n })));
        if (pausedPartition === undefined) {
          pausedPartition = batch.partition;
          resumeFirst = ctx.pause();
        }
      },
    });
    await publisher.publish(ticks(contract, [1], () => 'a'));
    await waitFor(() => pausedPartition !== undefined, { description: 'first batch' });
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1].map((id) => ({
      partitionErrorCode: 0,
      partitionId: id,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    const keyFor = (partition: number): string => {
      for (let i = 0; ; i += 1) {
        const key = `key-${i}`;
        if (
          partitioner({ topic: contract.topic, partitionMetadata, message: { key, value: null } }) ===
          partition
        )
          return key;
      }
    };
    const pausedKey = keyFor(pausedPartition!);
    const otherKey = keyFor(1 - pausedPartition!);
    await publisher.publish(ticks(contract, [2], () => pausedKey));
    await publisher.publish(ticks(contract, [3], () => otherKey));
    await waitFor(() => seen.some((s) => s.n === 3), { description: 'the other partition' });
    expect(seen.some((s) => s.n === 2)).toBe(false);
    resumeFirst!();
    await waitFor(() => seen.some((s) => s.n === 2), { description: 'the resumed partition' });
  });

  it('when a subscribed topic has no contract, then the consumer stops with CONSUMER_NO_CONTRACT', async () => {
    const { contract, groupId } = await setup('consumer-no-contract');
    await publisher.publish(ticks(contract, [1]));
    const consumer = await consume(contract, {
      groupId,
      contractFor: () => {
        throw new Error('unknown topic');
      },
      handleBatch: async () => undefined,
    });
    await expect(consumer.done).rejects.toMatchObject({ code: 'CONSUMER_NO_CONTRACT', retriable: false });
  });
});
