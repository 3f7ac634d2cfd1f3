import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DependencyError, TributaryError, ValidationError } from '@tributary/core';
import { NOT_YET, type SchemaCodec } from '../src/codec';
import type { ContractLike } from '../src/contract';
import type { DeadLetterEntry } from '../src/dlq';
import { createBatchProcessor, type BatchProcessorDeps } from '../src/consumer/batch-processor';
import { DeadLetterStep } from '../src/consumer/dead-letter';
import type { BatchRunner } from '../src/consumer/runners';
import type { Checkpointer, Position } from '../src/consumer/types';
import type { DlqPolicy } from '../src/dlq-limit';
import type { DlqLimitStore } from '../src/dlq-limit-store';

/** In-memory stand-ins for the consumer runtime's unit tests (no broker, no database). */

export type N = { n: number };

/**
 * A codec: 'poison' cannot be decoded, 'outage' looks like a registry outage, the rest is JSON.
 * No schema id is ever known ahead, so every value goes through `decode`.
 */
export const fakeCodec: Pick<SchemaCodec, 'decode' | 'decodeKnown'> = {
  decodeKnown: () => NOT_YET,
  async decode(buffer: Buffer | null, contract?: ContractLike<unknown>) {
    const text = buffer?.toString() ?? '';
    if (text === 'poison') throw new ValidationError('cannot decode');
    if (text === 'outage') throw new DependencyError('SCHEMA_REGISTRY_UNAVAILABLE', 'registry down');
    return contract ? contract.decode(JSON.parse(text)) : JSON.parse(text);
  },
} as Pick<SchemaCodec, 'decode' | 'decodeKnown'>;

export const contract: ContractLike<N> = {
  topic: 't',
  subject: 't-value',
  jsonSchema: () => ({}),
  decode: (value) => value as N,
};

/** A DLQ router that keeps what it is given. */
export function fakeRouter() {
  const routed: DeadLetterEntry[] = [];
  return { routed, route: async (entries: readonly DeadLetterEntry[]) => void routed.push(...entries) };
}

/**
 * A checkpointer over a map; its transaction is a journal of positions applied on commit only,
 * so a rolled-back transaction leaves nothing behind.
 */
export type Journal = { group: string; position: Position }[];

export class InMemoryCheckpointer implements Checkpointer<Journal> {
  readonly positions = new Map<string, string>();
  reads = 0;
  commits = 0;

  async read(group: string, topic: string, partition: number): Promise<string | undefined> {
    this.reads += 1;
    return this.positions.get(`${group}/${topic}/${partition}`);
  }

  async store(tx: Journal, group: string, positions: readonly Position[]): Promise<void> {
    tx.push(...positions.map((position) => ({ group, position })));
  }

  /** Runs `fn` with a journal; applies it (never moving back) when `fn` resolves. */
  async transaction<R>(fn: (tx: Journal) => Promise<R>): Promise<R> {
    const journal: Journal = [];
    const result = await fn(journal);
    this.commits += 1;
    for (const { group, position: p } of journal) {
      const key = `${group}/${p.topic}/${p.partition}`;
      const current = this.positions.get(key);
      if (current === undefined || BigInt(current) < BigInt(p.next)) this.positions.set(key, p.next);
    }
    return result;
  }
}

/** A kafkajs eachBatch payload of `values` from `firstOffset` on partition `partition` of 't'. */
export function payload(values: string[], firstOffset = 0, partition = 0) {
  const messages: KafkaMessage[] = values.map((value, i) => ({
    key: Buffer.from(`k${i}`),
    value: Buffer.from(value),
    offset: String(firstOffset + i),
    timestamp: '1700000000000',
    attributes: 0,
    headers: { h: Buffer.from('v') },
  }));
  const resolveOffset = jest.fn();
  const commitOffsetsIfNecessary = jest.fn(async () => undefined);
  const pause = jest.fn(() => () => undefined);
  const batch = { topic: 't', partition, messages, highWatermark: String(firstOffset + values.length) };
  const p = {
    batch,
    resolveOffset,
    commitOffsetsIfNecessary,
    heartbeat: async () => undefined,
    pause,
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { p, resolveOffset, commitOffsetsIfNecessary, pause };
}

export const good = (n: number) => JSON.stringify({ n });

/** A batch processor over the fakes; `runner` builds steps 3-5 from the dead-letter step. */
export function processorOf(
  runner: (deadLetters: DeadLetterStep) => BatchRunner<N>,
  overrides: Partial<BatchProcessorDeps<N>> & { dlq?: DlqPolicy; dlqLimitStore?: DlqLimitStore } = {},
) {
  const router = fakeRouter();
  let fatal: TributaryError | undefined;
  const onFatal = (error: TributaryError) => {
    fatal ??= error;
  };
  const deadLetters = new DeadLetterStep({
    groupId: 'g',
    router,
    policy: overrides.dlq,
    store: overrides.dlqLimitStore,
    onFatal,
  });
  const process = createBatchProcessor<N>({
    groupId: 'g',
    codec: fakeCodec,
    contractFor: () => contract,
    run: runner(deadLetters),
    deadLetters,
    heartbeatIntervalMs: 1000,
    onFatal,
    fatal: () => fatal,
    isStopping: () => fatal !== undefined,
    schedulePause: (pause) => pause(),
    ...overrides,
  });
  return { process, routed: router.routed, fatal: () => fatal };
}
