import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { uniqueName, waitFor } from '@tributary/testkit';
import { runBatchConsumer, type BatchConsumer } from '../src/consumer/batch-consumer';
import { SchemaCodec } from '../src/codec';
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

// An ingest's stop(): it aborts the running sync, whose handler then throws. That is the stop, not a
// consumer failure: nothing committed, no crash, `done` resolves, the next member gets the batch again.
describe('stop() interrupting a batch', () => {
  let kafka: Kafka;
  let publisher: Publisher;
  const topic = uniqueName('stop-interrupt');
  const lines: string[] = [];
  const logger = {
    debug: () => undefined,
    info: (event: string, msg: string) => lines.push(`info ${event} ${msg}`),
    warn: (event: string, msg: string) => lines.push(`warn ${event} ${msg}`),
    error: (event: string, msg: string) => lines.push(`error ${event} ${msg}`),
  };

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await createPublisher({ kafka, codec: new SchemaCodec({ url: stackEnv().registryUrl }) });
    await createTestTopics(kafka, [topic], 1);
  });
  afterAll(async () => {
    await publisher.close();
    await deleteTopics(kafka, [topic]);
  });

  it('when the handler fails because stop() aborted it, then nothing is committed, done resolves, no error is logged, and the batch comes again', async () => {
    const contract = testContract(topic, Tick);
    const groupId = uniqueName('stop-interrupt-group');
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    await publisher.publish([{ contract, key: 'k', value: { n: 1 } }]);
    const abort = new AbortController();
    let started = false;
    const first: BatchConsumer = await runBatchConsumer({
      ...FAST_CONSUMER,
      kafka,
      codec,
      groupId,
      topics: [topic],
      contractFor: () => contract,
      logger,
      handleBatch: async () => {
        started = true;
        await new Promise((_, reject) =>
          abort.signal.addEventListener('abort', () => reject(new Error('service stopping'))),
        );
      },
    });
    await waitFor(() => started, { description: 'batch in flight' });
    abort.abort();
    await first.stop();
    await expect(first.done).resolves.toBeUndefined();
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(lines.join('\n')).toContain('batch interrupted by stop');
    expect((await committedOffsets(kafka, groupId, topic)).get(0) ?? -1n).toBeLessThan(1n);

    const seen: number[] = [];
    const second = await runBatchConsumer({
      ...FAST_CONSUMER,
      kafka,
      codec,
      groupId,
      topics: [topic],
      contractFor: () => contract,
      handleBatch: async (batch) => {
        seen.push(...batch.messages.map((m) => m.value.n));
      },
    });
    await waitFor(() => seen.length > 0, { description: 'batch delivered again' });
    await second.stop();
    expect(seen).toEqual([1]);
  });
});
