import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { TributaryError } from '@tributary/core';
import { uniqueName, waitFor } from '@tributary/testkit';
import { runBatchConsumer, type BatchConsumer, type BatchConsumerOptions, type DecodedMessage } from '../src';
import { SchemaCodec } from '../src/codec';
import type { ContractLike } from '../src/contract';
import { DLQ_HEADERS, dlqTopicOf } from '../src/dlq';
import { DlqLimitExceededError } from '../src/dlq-limit';
import { replayDlq } from '../src/dlq-replay';
import { createPublisher, type Publisher } from '../src/publisher';
import { headersToStrings } from '../src/records';
import {
  FAST_CONSUMER,
  committedOffsets,
  createTestTopics,
  deleteTopics,
  produceRaw,
  readTopic,
  stackEnv,
  testContract,
  testKafka,
} from './kafka-helpers';

const Order = z.object({ orderId: z.string() });
type Order = z.infer<typeof Order>;

describe('dead-letter queue', () => {
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

  async function setup(
    name: string,
  ): Promise<{ topic: string; dlq: string; contract: ContractLike<Order>; groupId: string }> {
    const topic = uniqueName(name);
    const dlq = dlqTopicOf(topic);
    topics.push(topic, dlq);
    await createTestTopics(kafka, [topic, dlq]);
    const contract = testContract(topic, Order);
    await codec.register(contract);
    return { topic, dlq, contract, groupId: uniqueName(`${name}-group`) };
  }

  async function consume(
    options: Pick<BatchConsumerOptions<Order>, 'groupId' | 'topics' | 'handleBatch'> &
      Partial<BatchConsumerOptions<Order>> & { contract: ContractLike<Order> },
  ): Promise<BatchConsumer> {
    const { contract, ...rest } = options;
    const consumer = await runBatchConsumer<Order>({
      ...FAST_CONSUMER,
      kafka,
      codec,
      contractFor: () => contract,
      ...rest,
    });
    consumers.push(consumer);
    return consumer;
  }

  const order = (contract: ContractLike<Order>, id: string) => ({
    contract,
    key: id,
    value: { orderId: id },
  });

  it('when a record cannot be decoded, then it lands in the DLQ with its original bytes and error headers, and the good ones are handled', async () => {
    const { topic, dlq, contract, groupId } = await setup('dlq-poison');
    await publisher.publish([order(contract, 'good-1')]);
    await produceRaw(kafka, topic, [
      { key: 'poison-1', value: 'not a framed value', headers: { 'x-trace': 'abc' } },
    ]);
    await publisher.publish([order(contract, 'good-2')]);

    const handled: DecodedMessage<Order>[] = [];
    const consumer = await consume({
      contract,
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        handled.push(...batch.messages);
      },
    });
    await waitFor(() => handled.length === 2, { description: 'the good records' });
    await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 3n, {
      description: 'commit',
    });
    await consumer.stop();
    await expect(consumer.done).resolves.toBeUndefined();

    expect(handled.map((m) => m.value.orderId)).toEqual(['good-1', 'good-2']);
    const [dead, ...more] = await readTopic(kafka, dlq);
    expect(more).toHaveLength(0);
    expect(dead?.key?.toString()).toBe('poison-1');
    expect(dead?.value?.toString()).toBe('not a framed value');
    const headers = headersToStrings(dead?.headers);
    expect(headers).toMatchObject({
      'x-trace': 'abc',
      [DLQ_HEADERS.errorCode]: 'VALIDATION_FAILED',
      [DLQ_HEADERS.originTopic]: topic,
      [DLQ_HEADERS.originPartition]: '0',
      [DLQ_HEADERS.originOffset]: '1',
      [DLQ_HEADERS.consumerGroup]: groupId,
    });
    expect(headers[DLQ_HEADERS.error]).toMatch(/wire format/);
    expect(new Date(headers[DLQ_HEADERS.failedAt]!).toISOString()).toBe(headers[DLQ_HEADERS.failedAt]);
  });

  it('when the handler dead-letters a record it cannot apply, then that record goes to the DLQ and the batch is committed', async () => {
    const { topic, dlq, contract, groupId } = await setup('dlq-handler');
    await publisher.publish(['a', 'bad', 'c'].map((id) => order(contract, id)));
    const applied: string[] = [];
    const consumer = await consume({
      contract,
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        const failures = [];
        for (const m of batch.messages) {
          if (m.value.orderId === 'bad') {
            failures.push({
              offset: m.offset,
              error: new TributaryError('PROJECTION_FAILED', 'parent missing for good'),
            });
          } else applied.push(m.value.orderId);
        }
        return { failures };
      },
    });
    await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 3n, {
      description: 'commit',
    });
    await consumer.stop();
    expect(applied).toEqual(['a', 'c']);
    const dead = await readTopic(kafka, dlq);
    expect(dead).toHaveLength(1);
    expect(headersToStrings(dead[0]?.headers)).toMatchObject({
      [DLQ_HEADERS.errorCode]: 'PROJECTION_FAILED',
      [DLQ_HEADERS.originOffset]: '1',
    });
    // The original bytes: still a valid framed value, decodable by the codec.
    expect(await codec.decode(dead[0]?.value, contract)).toEqual({ orderId: 'bad' });
  });

  it('when more records fail than the DLQ limit allows, then the consumer stops with DlqLimitExceededError and commits nothing past the limit', async () => {
    const { topic, dlq, contract, groupId } = await setup('dlq-limit');
    await produceRaw(
      kafka,
      topic,
      [1, 2, 3, 4, 5].map((i) => ({ key: `p${i}`, value: `poison ${i}` })),
    );
    let handlerCalls = 0;
    const consumer = await consume({
      contract,
      groupId,
      topics: [topic],
      dlq: { maxConsecutiveFailures: 3 },
      handleBatch: async () => {
        handlerCalls += 1;
      },
    });
    const error = await consumer.done.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DlqLimitExceededError);
    expect(error).toMatchObject({
      code: 'DLQ_LIMIT_EXCEEDED',
      details: { topic, partition: 0, reason: 'consecutive' },
    });
    expect(handlerCalls).toBe(0);

    // At most the 3 tolerated dead letters were written and committed; the batch that crossed was not.
    const committed = (await committedOffsets(kafka, groupId, topic)).get(0) ?? -1n;
    expect(committed).toBeLessThanOrEqual(3n);
    const dead = await readTopic(kafka, dlq);
    expect(dead.length).toBeLessThanOrEqual(3);
    expect(BigInt(dead.length)).toBe(committed < 0n ? 0n : committed);
  });

  it('when the DLQ is replayed, then its records go back to their origin topic with x-dlq-replayed-from, once', async () => {
    const { topic, dlq, contract, groupId } = await setup('dlq-replay');
    await produceRaw(kafka, topic, [
      { key: 'p1', value: 'poison 1', headers: { 'x-trace': 't1' } },
      { key: 'p2', value: 'poison 2' },
    ]);
    const consumer = await consume({
      contract,
      groupId,
      topics: [topic],
      handleBatch: async () => undefined,
    });
    await waitFor(async () => (await committedOffsets(kafka, groupId, topic)).get(0) === 2n, {
      description: 'commit',
    });
    await consumer.stop();

    const replayGroup = uniqueName('dlq-replayer');
    // In two runs (limit 1, then the rest): a replay resumes where the last one stopped.
    expect(await replayDlq({ kafka, dlqTopic: dlq, groupId: replayGroup, limit: 1 })).toEqual({
      replayed: 1,
      skipped: 0,
      byTopic: { [topic]: 1 },
    });
    expect((await replayDlq({ kafka, dlqTopic: dlq, groupId: replayGroup })).replayed).toBe(1);
    expect((await replayDlq({ kafka, dlqTopic: dlq, groupId: replayGroup })).replayed).toBe(0);

    const origin = await readTopic(kafka, topic);
    // (Replayed records are written in transactions, whose markers take offsets too.)
    expect(origin.map((m) => [m.key?.toString(), m.value?.toString()])).toEqual([
      ['p1', 'poison 1'],
      ['p2', 'poison 2'],
      ['p1', 'poison 1'],
      ['p2', 'poison 2'],
    ]);
    const replayedHeaders = headersToStrings(origin[2]?.headers);
    expect(replayedHeaders).toEqual({ 'x-trace': 't1', [DLQ_HEADERS.replayedFrom]: `${dlq}:0:0` });
    expect(headersToStrings(origin[3]?.headers)).toEqual({ [DLQ_HEADERS.replayedFrom]: `${dlq}:0:1` });
  });
});
