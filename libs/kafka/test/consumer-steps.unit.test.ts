import type { KafkaMessage } from 'kafkajs';
import { TributaryError } from '@tributary/core';
import { commitToKafka, nextPositions } from '../src/consumer/checkpoint';
import { DeadLetterStep } from '../src/consumer/dead-letter';
import { decodeBatch } from '../src/consumer/decode';
import { skipApplied } from '../src/consumer/skip-applied';
import { DlqLimitExceededError } from '../src/dlq-limit';
import { InMemoryCheckpointer, contract, fakeCodec, fakeRouter, good } from './consumer-fakes';

const raw = (offset: number, value: string): KafkaMessage => ({
  key: null,
  value: Buffer.from(value),
  offset: String(offset),
  timestamp: '0',
  attributes: 0,
  headers: {},
});

describe('step 1, skip-applied', () => {
  const where = { group: 'g', topic: 't', partition: 0 };
  const messages = [raw(4, good(4)), raw(5, good(5)), raw(6, good(6))];

  it('when the checkpointer holds a position, then only records from it on are kept', async () => {
    const checkpointer = new InMemoryCheckpointer();
    checkpointer.positions.set('g/t/0', '5');
    expect((await skipApplied(checkpointer, where, messages)).map((m) => m.offset)).toEqual(['5', '6']);
  });

  it('when there is no checkpointer or no position, then every record is kept', async () => {
    expect(await skipApplied(undefined, where, messages)).toHaveLength(3);
    expect(await skipApplied(new InMemoryCheckpointer(), where, messages)).toHaveLength(3);
  });

  it('when the checkpointer cannot be read, then a retriable OFFSET_STORE_FAILED keeps the cause', async () => {
    const cause = new Error('connection refused');
    const failing = { read: async () => Promise.reject(cause) };
    await expect(skipApplied(failing, where, messages)).rejects.toMatchObject({
      code: 'OFFSET_STORE_FAILED',
      retriable: true,
      cause,
    });
  });
});

describe('step 2, decode', () => {
  it('when a value cannot be decoded, then it is a decode failure and the others are decoded in order', async () => {
    const work = await decodeBatch(fakeCodec, contract, 't', 0, [
      raw(0, good(1)),
      raw(1, 'poison'),
      raw(2, good(2)),
    ]);
    expect(work.batch.messages.map((m) => [m.offset, m.value])).toEqual([
      ['0', { n: 1 }],
      ['2', { n: 2 }],
    ]);
    expect(
      work.decodeFailures.map((f) => [f.record.offset, f.reason, (f.error as TributaryError).code]),
    ).toEqual([['1', 'decode', 'VALIDATION_FAILED']]);
    expect([...work.raws.keys()]).toEqual(['0', '1', '2']);
  });

  it('when a value has no \\u escape in its bytes, then it is marked so; one with a NUL or a lone surrogate is not', async () => {
    const json = (s: string) => JSON.stringify({ n: 1, s });
    const work = await decodeBatch(fakeCodec, contract, 't', 0, [
      raw(0, json('plain, é 中 😀, tab\there')),
      raw(1, json('NUL\u0000inside')),
      raw(2, json('lone \uD800')),
      raw(3, json('C:\\users')),
    ]);
    expect(work.batch.messages.map((m) => [m.offset, m.noUnicodeEscapes])).toEqual([
      ['0', true],
      ['1', false],
      ['2', false],
      // An escaped backslash before a u: nothing to replace, but it is looked at all the same.
      ['3', false],
    ]);
  });
});

describe('step 4, dead-letter', () => {
  async function work(values: string[]) {
    return decodeBatch(
      fakeCodec,
      contract,
      't',
      0,
      values.map((v, i) => raw(i, v)),
    );
  }

  it('when failures are written, then the error object reaches the router with its code intact', async () => {
    const router = fakeRouter();
    const step = new DeadLetterStep({ groupId: 'g', router, onFatal: () => undefined });
    const error = new TributaryError('PROJECTION_FAILED', 'value out of range');
    const w = await work([good(1), good(2)]);
    await step.write(w, [{ offset: '1', error }]);
    expect(router.routed).toEqual([{ record: w.raws.get('1'), error, reason: 'handler' }]);
    expect(step.settle(w)).toBe(1);
  });

  it('when a batch is written but never settled (its transaction rolled back), then its dead letters do not count', async () => {
    const step = new DeadLetterStep({
      groupId: 'g',
      router: fakeRouter(),
      policy: { maxConsecutiveFailures: 1 },
      onFatal: () => undefined,
    });
    const first = await work([good(1)]);
    await step.write(first, [{ offset: '0', error: new Error('x') }]);
    const retry = await work([good(1)]);
    await step.write(retry, [{ offset: '0', error: new Error('x') }]);
    step.settle(retry);
    const next = await work([good(1)]);
    await expect(step.write(next, [{ offset: '0', error: new Error('x') }])).rejects.toBeInstanceOf(
      DlqLimitExceededError,
    );
  });

  it('when the limit is crossed, then the breach is reported as fatal and nothing is routed', async () => {
    const router = fakeRouter();
    const fatal: TributaryError[] = [];
    const step = new DeadLetterStep({
      groupId: 'g',
      router,
      policy: { maxConsecutiveFailures: 0 },
      onFatal: (e) => fatal.push(e),
    });
    const w = await work(['poison', good(1)]);
    expect(() => step.precheck(w)).toThrow(DlqLimitExceededError);
    expect(fatal.map((e) => e.code)).toEqual(['DLQ_LIMIT_EXCEEDED']);
    expect(router.routed).toHaveLength(0);
  });
});

describe('step 5, checkpoint', () => {
  it('when batches of several partitions are checkpointed, then each partition gets its last offset + 1, the furthest one kept', () => {
    const m = (offset: string) => ({ offset });
    expect(
      nextPositions([
        { topic: 'a', partition: 0, messages: [m('5')] },
        { topic: 'a', partition: 1, messages: [m('5'), m('6')] },
        { topic: 'a', partition: 0, messages: [m('2')] },
        { topic: 'b', partition: 0, messages: [] },
      ]),
    ).toEqual([
      { topic: 'a', partition: 0, next: '6' },
      { topic: 'a', partition: 1, next: '7' },
    ]);
  });

  it('when Kafka commits by interval, then the offset is resolved and a commit is only offered', async () => {
    const kafka = { resolveOffset: jest.fn(), commitOffsetsIfNecessary: jest.fn(async () => undefined) };
    await commitToKafka(kafka, '9', true);
    expect(kafka.resolveOffset).toHaveBeenCalledWith('9');
    expect(kafka.commitOffsetsIfNecessary).toHaveBeenCalledTimes(1);
    await commitToKafka(kafka, '10', false);
    expect(kafka.commitOffsetsIfNecessary).toHaveBeenCalledTimes(1);
  });
});
