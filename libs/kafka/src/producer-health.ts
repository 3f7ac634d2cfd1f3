import { DependencyError, TributaryError } from '@tributary/core';

/**
 * Where a producer stands (ADR 0011):
 * - `idle`: no kafkajs producer yet (connects on first use or on `check()`);
 * - `ready`: connected, and its last send or transaction succeeded;
 * - `recreating`: the last send, commit or connect failed; the old kafkajs producer was dropped and a
 *   new one is made before the next send;
 * - `fenced`: another producer with the same transactional id took over. Final;
 * - `closed`: `close()` was called.
 */
export type ProducerState = 'idle' | 'ready' | 'recreating' | 'fenced' | 'closed';

export interface ProducerHealth {
  state: ProducerState;
  /** How many kafkajs producers were made so far (1 after the first connect; +1 per recreation). */
  generation: number;
  /** The failure that put it in `recreating` or `fenced`. */
  error?: unknown;
}

/** A producer readiness can ask: `health()` is free, `check()` may connect (once, when not connected). */
export interface CheckableProducer {
  health(): ProducerHealth;
  /** Resolves when the producer is usable (connecting first if needed); throws why it is not. */
  check(): Promise<void>;
}

/** The error `check()` throws for a producer that is not usable in `state`. */
export function producerUnusable(name: string, health: ProducerHealth): TributaryError {
  const { state, error } = health;
  if (state === 'fenced' && error instanceof TributaryError) return error;
  return new DependencyError('KAFKA_CONNECT_FAILED', `producer ${name} ${state}`, { cause: error });
}
