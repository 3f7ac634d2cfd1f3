import { DependencyError, TributaryError } from '@tributary/core';
import { directRunner, type BatchHandler } from '../src/consumer/runners';
import type { DecodedBatch } from '../src/consumer/types';
import { DlqLimitExceededError, type DlqPolicy } from '../src/dlq-limit';
import { InMemoryCheckpointer, good, payload, processorOf, type N } from './consumer-fakes';

/** The chain with a handler that has no transaction (Kafka holds the offsets). */
function setup(
  handle?: BatchHandler<N>,
  options: { dlq?: DlqPolicy; checkpointer?: InMemoryCheckpointer } = {},
) {
  const handled: DecodedBatch<N>[] = [];
  const handler: BatchHandler<N> = handle ?? (async (batch) => void handled.push(batch));
  const processor = processorOf((deadLetters) => directRunner(handler, deadLetters), options);
  return { ...processor, handled };
}

describe('batch processor (skip-applied → decode → handle → dead-letter → checkpoint)', () => {
  it('when a batch holds a poison record, then it is dead-lettered, the rest handled and the batch resolved', async () => {
    const { process, routed, handled } = setup();
    const { p, resolveOffset } = payload([good(1), 'poison', good(2)]);
    await process(p);
    expect(handled).toHaveLength(1);
    expect(handled[0]?.messages.map((m) => [m.offset, m.value, m.key, m.headers])).toEqual([
      ['0', { n: 1 }, 'k0', { h: 'v' }],
      ['2', { n: 2 }, 'k2', { h: 'v' }],
    ]);
    expect(routed.map((e) => [e.record.offset, e.reason, e.record.value?.toString()])).toEqual([
      ['1', 'decode', 'poison'],
    ]);
    expect(resolveOffset).toHaveBeenCalledWith('2');
  });

  it('when the checkpointer says records were applied, then they are skipped but the batch is resolved', async () => {
    const checkpointer = new InMemoryCheckpointer();
    checkpointer.positions.set('g/t/0', '12');
    const { process, handled } = setup(undefined, { checkpointer });
    const { p, resolveOffset } = payload([good(0), good(1), good(2), good(3)], 10);
    await process(p);
    expect(handled[0]?.messages.map((m) => m.offset)).toEqual(['12', '13']);
    expect(resolveOffset).toHaveBeenCalledWith('13');
  });

  it('when every record of a batch was applied already, then the handler is not called', async () => {
    const checkpointer = new InMemoryCheckpointer();
    checkpointer.positions.set('g/t/0', '99');
    const { process, handled } = setup(undefined, { checkpointer });
    const { p, resolveOffset } = payload([good(0), good(1)]);
    await process(p);
    expect(handled).toHaveLength(0);
    expect(resolveOffset).toHaveBeenCalledWith('1');
  });

  it('when a batch would cross the DLQ limit, then nothing is dead-lettered, handled or resolved', async () => {
    const { process, routed, handled, fatal } = setup(undefined, { dlq: { maxConsecutiveFailures: 3 } });
    const { p, resolveOffset } = payload(['poison', 'poison', 'poison', 'poison', 'poison']);
    await expect(process(p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(0);
    expect(handled).toHaveLength(0);
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()?.code).toBe('DLQ_LIMIT_EXCEEDED');
  });

  it('when dead letters accumulate over batches, then the limit counts across them', async () => {
    const { process, routed } = setup(undefined, { dlq: { maxConsecutiveFailures: 3 } });
    await process(payload(['poison', 'poison'], 0).p);
    expect(routed).toHaveLength(2);
    await expect(process(payload(['poison', 'poison'], 2).p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(2);
  });

  it('when a batch fails and is retried, then its dead letters are not counted twice', async () => {
    let attempts = 0;
    const { process } = setup(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new DependencyError('DB_UNAVAILABLE', 'database down');
      },
      { dlq: { maxConsecutiveFailures: 2 } },
    );
    const batch = () => payload(['poison', 'poison', good(1)]).p;
    await expect(process(batch())).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
    await expect(process(batch())).resolves.toBeUndefined();
  });

  it('when the handler returns a failure, then that record goes to the DLQ with reason handler and its error code, and the batch is resolved', async () => {
    const { process, routed } = setup(async (batch) => ({
      failures: [
        { offset: batch.messages[1]!.offset, error: new TributaryError('RECORD_MALFORMED', 'no id') },
      ],
    }));
    const { p, resolveOffset } = payload([good(1), good(2), good(3)]);
    await process(p);
    expect(routed.map((e) => [e.record.offset, e.reason, (e.error as TributaryError).code])).toEqual([
      ['1', 'handler', 'RECORD_MALFORMED'],
    ]);
    expect(resolveOffset).toHaveBeenCalledWith('2');
  });

  it('when decode and handler failures are both in a batch, then they go to the DLQ together, in offset order', async () => {
    const { process, routed } = setup(async (batch) => ({
      failures: [{ offset: batch.messages[0]!.offset, error: new TributaryError('PROJECTION_FAILED', 'x') }],
    }));
    await process(payload([good(1), 'poison', good(3)]).p);
    expect(routed.map((e) => [e.record.offset, e.reason])).toEqual([
      ['0', 'handler'],
      ['1', 'decode'],
    ]);
  });

  it('when the handler failures cross the limit, then nothing is dead-lettered, the batch is not resolved and the consumer stops', async () => {
    const { process, routed, fatal } = setup(
      async (batch) => ({
        failures: batch.messages.map((m) => ({ offset: m.offset, error: new Error('bad') })),
      }),
      { dlq: { maxConsecutiveFailures: 1 } },
    );
    const { p, resolveOffset } = payload([good(1), good(2), good(3)]);
    await expect(process(p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(0);
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()?.code).toBe('DLQ_LIMIT_EXCEEDED');
  });

  it('when the handler reports a failure at an offset not in its batch, then the consumer stops with DLQ_FOREIGN_MESSAGE', async () => {
    const { process, routed } = setup(async () => ({ failures: [{ offset: '42', error: new Error('x') }] }));
    await expect(process(payload([good(1)]).p)).rejects.toMatchObject({
      code: 'DLQ_FOREIGN_MESSAGE',
      retriable: false,
    });
    expect(routed).toHaveLength(0);
  });

  it('when the handler throws a retriable error, then it is rethrown for a retry and the consumer goes on', async () => {
    const { process, fatal } = setup(async () => {
      throw new DependencyError('DB_UNAVAILABLE', 'database down');
    });
    const { p, resolveOffset } = payload([good(1)]);
    await expect(process(p)).rejects.toMatchObject({ code: 'DB_UNAVAILABLE', retriable: true });
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()).toBeUndefined();
  });

  it('when the handler throws a non-retriable error, then the consumer stops with a non-retriable error', async () => {
    const { process, fatal } = setup(async () => {
      throw new TypeError('undefined is not a function');
    });
    const { p, resolveOffset } = payload([good(1)]);
    await expect(process(p)).rejects.toMatchObject({ code: 'CONSUMER_HANDLER_FAILED', retriable: false });
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()?.cause).toBeInstanceOf(TypeError);
  });

  it('when the registry is unreachable while decoding, then the batch is retried, not dead-lettered', async () => {
    const { process, routed } = setup();
    await expect(process(payload([good(1), 'outage']).p)).rejects.toMatchObject({ retriable: true });
    expect(routed).toHaveLength(0);
  });

  it('when the handler pauses its partition, then the kafkajs pause of that partition is used', async () => {
    const { process } = setup(async (_batch, ctx) => {
      ctx.pause();
    });
    const { p, pause, resolveOffset } = payload([good(1)]);
    await process(p);
    expect(pause).toHaveBeenCalledTimes(1);
    expect(resolveOffset).toHaveBeenCalledWith('0');
  });
});
