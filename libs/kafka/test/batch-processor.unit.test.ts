import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DependencyError, TributaryError, ValidationError } from '@tributary/core';
import { createBatchProcessor, type BatchProcessorDeps, type DecodedBatch } from '../src/batch-processor';
import type { SchemaCodec } from '../src/codec';
import type { ContractLike } from '../src/contract';
import type { DeadLetterEntry, DlqRouter } from '../src/dlq';
import { DlqLimitExceededError } from '../src/dlq-limit';

/** A codec stand-in: 'poison' cannot be decoded, 'outage' looks like a registry outage, the rest is JSON. */
const codec = {
  async decode(buffer: Buffer | null, contract?: ContractLike<unknown>) {
    const text = buffer?.toString() ?? '';
    if (text === 'poison') throw new ValidationError('cannot decode');
    if (text === 'outage') throw new DependencyError('SCHEMA_REGISTRY_UNAVAILABLE', 'registry down');
    return contract ? contract.decode(JSON.parse(text)) : JSON.parse(text);
  },
} as unknown as SchemaCodec;

const contract: ContractLike<{ n: number }> = {
  topic: 't',
  subject: 't-value',
  jsonSchema: () => ({}),
  decode: (value) => value as { n: number },
};

function setup(overrides: Partial<BatchProcessorDeps<{ n: number }>> = {}) {
  const routed: DeadLetterEntry[] = [];
  const handled: DecodedBatch<{ n: number }>[] = [];
  let fatal: TributaryError | undefined;
  const deps: BatchProcessorDeps<{ n: number }> = {
    groupId: 'g',
    codec,
    contractFor: () => contract,
    handleBatch: async (batch) => {
      handled.push(batch);
    },
    router: {
      route: async (entries: DeadLetterEntry[]) => void routed.push(...entries),
    } as unknown as DlqRouter,
    heartbeatIntervalMs: 1000,
    onFatal: (error) => {
      fatal ??= error;
    },
    fatal: () => fatal,
    isStopping: () => fatal !== undefined,
    schedulePause: (pause) => pause(),
    ...overrides,
  };
  const process = createBatchProcessor(deps);
  return { process, routed, handled, fatal: () => fatal };
}

function payload(values: string[], firstOffset = 0) {
  const messages: KafkaMessage[] = values.map((value, i) => ({
    key: Buffer.from(`k${i}`),
    value: Buffer.from(value),
    offset: String(firstOffset + i),
    timestamp: '1700000000000',
    attributes: 0,
    headers: { h: Buffer.from('v') },
  }));
  const resolveOffset = jest.fn();
  const pause = jest.fn(() => () => undefined);
  const batch = { topic: 't', partition: 0, messages, highWatermark: String(firstOffset + values.length) };
  const p = {
    batch,
    resolveOffset,
    heartbeat: async () => undefined,
    pause,
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { p, resolveOffset, pause };
}

const good = (n: number) => JSON.stringify({ n });

describe('batch processor', () => {
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

  it('when the offset store says records were applied, then they are skipped but the batch is resolved', async () => {
    const load = jest.fn(async () => '12');
    const { process, handled } = setup({ offsets: { load } });
    const { p, resolveOffset } = payload([good(0), good(1), good(2), good(3)], 10);
    await process(p);
    expect(load).toHaveBeenCalledWith('g', 't', 0);
    expect(handled[0]?.messages.map((m) => m.offset)).toEqual(['12', '13']);
    expect(resolveOffset).toHaveBeenCalledWith('13');
  });

  it('when every record of a batch was applied already, then the handler is not called', async () => {
    const { process, handled } = setup({ offsets: { load: async () => '99' } });
    const { p, resolveOffset } = payload([good(0), good(1)]);
    await process(p);
    expect(handled).toHaveLength(0);
    expect(resolveOffset).toHaveBeenCalledWith('1');
  });

  it('when a batch would cross the DLQ limit, then nothing is dead-lettered, handled or resolved', async () => {
    const { process, routed, handled, fatal } = setup({ dlq: { maxConsecutiveFailures: 3 } });
    const { p, resolveOffset } = payload(['poison', 'poison', 'poison', 'poison', 'poison']);
    await expect(process(p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(0);
    expect(handled).toHaveLength(0);
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()?.code).toBe('DLQ_LIMIT_EXCEEDED');
  });

  it('when dead letters accumulate over batches, then the limit counts across them', async () => {
    const { process, routed } = setup({ dlq: { maxConsecutiveFailures: 3 } });
    await process(payload(['poison', 'poison'], 0).p);
    expect(routed).toHaveLength(2);
    await expect(process(payload(['poison', 'poison'], 2).p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(2);
  });

  it('when a batch fails and is retried, then its dead letters are not counted twice', async () => {
    let attempts = 0;
    const { process } = setup({
      dlq: { maxConsecutiveFailures: 2 },
      handleBatch: async () => {
        attempts += 1;
        if (attempts === 1) throw new DependencyError('DB_DOWN', 'database down');
      },
    });
    const batch = () => payload(['poison', 'poison', good(1)]).p;
    await expect(process(batch())).rejects.toMatchObject({ code: 'DB_DOWN' });
    await expect(process(batch())).resolves.toBeUndefined();
  });

  it('when the handler dead-letters a record, then it goes to the DLQ with reason handler and the batch is resolved', async () => {
    const { process, routed } = setup({
      handleBatch: async (batch, ctx) => {
        await ctx.deadLetter(batch.messages[1]!, new TributaryError('PROJECTION_FAILED', 'no such parent'));
      },
    });
    const { p, resolveOffset } = payload([good(1), good(2), good(3)]);
    await process(p);
    expect(routed.map((e) => [e.record.offset, e.reason])).toEqual([['1', 'handler']]);
    expect(resolveOffset).toHaveBeenCalledWith('2');
  });

  it('when a handler dead letter crosses the limit, then deadLetter rejects and the batch is not resolved even if the handler swallows it', async () => {
    const rejections: unknown[] = [];
    const { process, routed } = setup({
      dlq: { maxConsecutiveFailures: 1 },
      handleBatch: async (batch, ctx) => {
        for (const m of batch.messages) {
          await ctx.deadLetter(m, new Error('bad')).catch((err: unknown) => rejections.push(err));
        }
      },
    });
    const { p, resolveOffset } = payload([good(1), good(2), good(3)]);
    await expect(process(p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(rejections[0]).toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(1);
    expect(resolveOffset).not.toHaveBeenCalled();
  });

  it('when the handler throws a retriable error, then it is rethrown for a retry and the consumer goes on', async () => {
    const { process, fatal } = setup({
      handleBatch: async () => {
        throw new DependencyError('DB_DOWN', 'database down');
      },
    });
    const { p, resolveOffset } = payload([good(1)]);
    await expect(process(p)).rejects.toMatchObject({ code: 'DB_DOWN', retriable: true });
    expect(resolveOffset).not.toHaveBeenCalled();
    expect(fatal()).toBeUndefined();
  });

  it('when the handler throws a non-retriable error, then the consumer stops with a non-retriable error', async () => {
    const { process, fatal } = setup({
      handleBatch: async () => {
        throw new TypeError('undefined is not a function');
      },
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
    const { process } = setup({
      handleBatch: async (_batch, ctx) => {
        ctx.pause();
      },
    });
    const { p, pause, resolveOffset } = payload([good(1)]);
    await process(p);
    expect(pause).toHaveBeenCalledTimes(1);
    expect(resolveOffset).toHaveBeenCalledWith('0');
  });
});
