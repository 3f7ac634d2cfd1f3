import type { Kafka } from 'kafkajs';
import type { SchemaCodec } from '../src/codec';
import type { ContractLike } from '../src/contract';

/** In-memory stand-ins for kafkajs producers, scripted to fail, for the healing unit tests. */

/** A kafkajs-shaped error whose `type` is a broker error name. */
export function brokerError(type: string, message = type): Error {
  return Object.assign(new Error(message), { type });
}

export type Step = 'connect' | 'begin' | 'send' | 'commit' | 'abort';

export class FakeProducer {
  connected = false;
  committed: string[][] = [];
  /** kafkajs#1416: after a failed commit the transaction state is stuck and nothing begins again. */
  stuck = false;
  constructor(
    readonly id: number,
    private readonly failures: Map<Step, Error[]>,
  ) {}

  private fail(step: Step): void {
    const error = this.failures.get(step)?.shift();
    if (error) throw error;
  }

  async connect(): Promise<void> {
    this.fail('connect');
    this.connected = true;
  }
  async disconnect(): Promise<void> {
    this.connected = false;
  }
  async sendBatch(): Promise<void> {
    this.fail('send');
  }
  async transaction() {
    if (this.stuck)
      throw new Error('Transaction state exception: Invalid state transition "COMMITTING" -> "TRANSACTING"');
    this.fail('begin');
    let active = true;
    const sent: string[] = [];
    return {
      isActive: () => active,
      sendBatch: async ({
        topicMessages,
      }: {
        topicMessages: { topic: string; messages: { key?: unknown }[] }[];
      }) => {
        this.fail('send');
        for (const t of topicMessages) for (const m of t.messages) sent.push(String(m.key));
      },
      commit: async () => {
        active = false;
        try {
          this.fail('commit');
        } catch (err) {
          this.stuck = true;
          throw err;
        }
        if (sent.length) this.committed.push(sent);
      },
      abort: async () => {
        active = false;
        this.fail('abort');
      },
    };
  }
}

/** A Kafka whose `producer()` makes FakeProducers; `failNext(step, err)` scripts failures (any producer). */
export function fakeKafka() {
  const producers: FakeProducer[] = [];
  const failures = new Map<Step, Error[]>();
  const kafka = {
    producer: () => {
      const p = new FakeProducer(producers.length + 1, failures);
      producers.push(p);
      return p;
    },
  } as unknown as Kafka;
  return {
    kafka,
    producers,
    failNext(step: Step, error: Error) {
      failures.set(step, [...(failures.get(step) ?? []), error]);
    },
    committed: () => producers.flatMap((p) => p.committed),
  };
}

export const passThroughCodec = {
  encode: async (_contract: unknown, value: unknown) => Buffer.from(JSON.stringify(value)),
} as unknown as SchemaCodec;

export const topicContract: ContractLike<{ id: string }> = {
  topic: 'things',
  subject: 'things-value',
  jsonSchema: () => ({}),
  decode: (v) => v as { id: string },
};

export const record = (id: string) => ({ contract: topicContract, key: id, value: { id } });
