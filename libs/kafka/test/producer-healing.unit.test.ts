import { TributaryError } from '@tributary/core';
import type { KafkaLogger } from '../src/client';
import { DlqRouter } from '../src/dlq';
import { createPublisher } from '../src/publisher';
import { TransactionalPublisher } from '../src/transactional-producer';
import { brokerError, fakeKafka, passThroughCodec, record } from './producer-fakes';

async function transactional(
  fake: ReturnType<typeof fakeKafka>,
  extra: { now?: () => number; onFenced?: (e: TributaryError) => void } = {},
) {
  return TransactionalPublisher.create({
    kafka: fake.kafka,
    codec: passThroughCodec,
    transactionalId: 'tx.pod-0',
    ...extra,
  });
}

describe('TransactionalPublisher healing', () => {
  it('when a commit fails (the kafkajs producer is stuck, kafkajs#1416), then the caller gets a retriable error and the next transaction commits on a new producer', async () => {
    const fake = fakeKafka();
    const publisher = await transactional(fake);
    fake.failNext('commit', brokerError('REQUEST_TIMED_OUT'));
    await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({
      code: 'KAFKA_TRANSACTION_FAILED',
      retriable: true,
    });
    expect(publisher.health()).toMatchObject({ state: 'recreating', generation: 1 });
    await publisher.publishAtomically([record('b')]);
    expect(fake.producers).toHaveLength(2);
    expect(fake.producers[0]!.connected).toBe(false);
    expect(fake.committed()).toEqual([['b']]);
    expect(publisher.health()).toEqual({ state: 'ready', generation: 2 });
  });

  it.each(['send', 'begin', 'abort'] as const)(
    'when %s fails, then the producer is made anew before the next transaction',
    async (step) => {
      const fake = fakeKafka();
      const publisher = await transactional(fake);
      if (step === 'abort') fake.failNext('send', brokerError('NOT_LEADER_FOR_PARTITION'));
      fake.failNext(step, brokerError('NETWORK_EXCEPTION'));
      await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({ retriable: true });
      await publisher.publishAtomically([record('b')]);
      expect(fake.producers).toHaveLength(2);
      expect(fake.committed()).toEqual([['b']]);
    },
  );

  it('when the broker is still loading at start, then create tries again with a warning each time until it connects', async () => {
    const fake = fakeKafka();
    fake.failNext('begin', brokerError('COORDINATOR_LOAD_IN_PROGRESS'));
    fake.failNext('connect', new Error('Connection refused'));
    const warnings: string[] = [];
    const logger: KafkaLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (event, message) => void warnings.push(`${event}: ${message}`),
      error: () => undefined,
    };
    const publisher = await TransactionalPublisher.create({
      kafka: fake.kafka,
      codec: passThroughCodec,
      transactionalId: 'tx.pod-0',
      logger,
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^kafka\.connect\.retried: transactional producer tx\.pod-0 not ready yet \(attempt 1\)/,
    );
    expect(fake.producers).toHaveLength(3);
    await publisher.publishAtomically([record('a')]);
    expect(fake.committed()).toEqual([['a']]);
  });

  it('when the producer cannot connect until the start timeout, then create throws the last retriable error', async () => {
    const fake = fakeKafka();
    for (let i = 0; i < 10; i++) fake.failNext('connect', new Error('Connection refused'));
    await expect(
      TransactionalPublisher.create({
        kafka: fake.kafka,
        codec: passThroughCodec,
        transactionalId: 'tx.pod-0',
        startTimeoutMs: 600,
      }),
    ).rejects.toMatchObject({ code: 'KAFKA_CONNECT_FAILED', retriable: true });
    // 250 ms, then 500 ms would pass the deadline: two attempts.
    expect(fake.producers).toHaveLength(2);
  });

  it('when reconnecting fails, then the call fails retriably and a later one connects again', async () => {
    const fake = fakeKafka();
    const publisher = await transactional(fake);
    fake.failNext('send', brokerError('NETWORK_EXCEPTION'));
    await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({ retriable: true });
    fake.failNext('connect', new Error('Connection refused'));
    await expect(publisher.publishAtomically([record('b')])).rejects.toMatchObject({
      code: 'KAFKA_CONNECT_FAILED',
      retriable: true,
    });
    await expect(publisher.check()).resolves.toBeUndefined();
    await publisher.publishAtomically([record('c')]);
    expect(fake.committed()).toEqual([['c']]);
  });

  it('when the producer is fenced (PRODUCER_FENCED) within the transaction timeout, then it is final: onFenced once, every later call fenced, no new producer', async () => {
    const fake = fakeKafka();
    const onFenced = jest.fn();
    const publisher = await transactional(fake, { onFenced });
    fake.failNext('send', brokerError('PRODUCER_FENCED'));
    await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({
      code: 'KAFKA_PRODUCER_FENCED',
      retriable: false,
    });
    await expect(publisher.publishAtomically([record('b')])).rejects.toMatchObject({
      code: 'KAFKA_PRODUCER_FENCED',
    });
    await expect(publisher.check()).rejects.toMatchObject({ code: 'KAFKA_PRODUCER_FENCED' });
    expect(onFenced).toHaveBeenCalledTimes(1);
    expect(fake.producers).toHaveLength(1);
    expect(publisher.health().state).toBe('fenced');
  });

  it('when the epoch moved only after the transaction outlived its timeout (the coordinator aborted it), then it heals instead', async () => {
    const fake = fakeKafka();
    let t = 0;
    const onFenced = jest.fn();
    const publisher = await TransactionalPublisher.create({
      kafka: fake.kafka,
      codec: passThroughCodec,
      transactionalId: 'tx.pod-0',
      transactionTimeoutMs: 1000,
      now: () => (t += 1100),
      onFenced,
    });
    fake.failNext('commit', brokerError('INVALID_PRODUCER_EPOCH'));
    await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({
      code: 'KAFKA_TRANSACTION_FAILED',
      retriable: true,
    });
    await publisher.publishAtomically([record('b')]);
    expect(onFenced).not.toHaveBeenCalled();
    expect(fake.committed()).toEqual([['b']]);
  });

  it('when a broker refuses a record for good, then the error stays final for that call but the producer is still made anew', async () => {
    const fake = fakeKafka();
    const publisher = await transactional(fake);
    fake.failNext('send', brokerError('MESSAGE_TOO_LARGE'));
    await expect(publisher.publishAtomically([record('a')])).rejects.toMatchObject({
      code: 'KAFKA_REQUEST_REJECTED',
      retriable: false,
    });
    await publisher.publishAtomically([record('b')]);
    expect(fake.committed()).toEqual([['b']]);
  });
});

describe('Publisher and DlqRouter healing', () => {
  it('when a send fails, then the publisher throws KAFKA_PUBLISH_FAILED and sends the next records on a new producer', async () => {
    const fake = fakeKafka();
    const publisher = await createPublisher({ kafka: fake.kafka, codec: passThroughCodec });
    fake.failNext('send', brokerError('UNKNOWN_PRODUCER_ID'));
    await expect(publisher.publish([record('a')])).rejects.toMatchObject({
      code: 'KAFKA_PUBLISH_FAILED',
      retriable: true,
    });
    expect(publisher.health()).toMatchObject({ state: 'recreating', generation: 1 });
    await publisher.publish([record('b')]);
    expect(fake.producers).toHaveLength(2);
    expect(publisher.health()).toEqual({ state: 'ready', generation: 2 });
    await publisher.close();
    await expect(publisher.check()).rejects.toThrow(/closed/);
  });

  it('when a dead letter cannot be written, then the router throws KAFKA_DLQ_FAILED and writes the next on a new producer', async () => {
    const fake = fakeKafka();
    const router = new DlqRouter({ kafka: fake.kafka, groupId: 'g' });
    const entry = {
      record: { topic: 't', partition: 0, offset: '1', key: null, value: null },
      error: new Error('bad'),
      reason: 'handler' as const,
    };
    fake.failNext('send', brokerError('NETWORK_EXCEPTION'));
    await expect(router.route([entry])).rejects.toMatchObject({ code: 'KAFKA_DLQ_FAILED', retriable: true });
    await router.route([entry]);
    expect(fake.producers).toHaveLength(2);
    expect(router.health().state).toBe('ready');
    await router.close();
  });
});
