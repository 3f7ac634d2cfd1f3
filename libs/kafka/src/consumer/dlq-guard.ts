import { errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from '../client';
import { DlqLimitExceededError } from '../dlq-limit';
import { DlqLimitTrippedError, tripOf, type DlqLimitStore, type DlqTrip } from '../dlq-limit-store';
import type { BatchConsumer } from './batch-consumer';

export interface DlqGuardOptions {
  groupId: string;
  /** The store the consumer keeps its trip in (read only here). */
  store: Pick<DlqLimitStore, 'tripped'>;
  /** Starts the consumer (rejects with DlqLimitTrippedError while the group is tripped). */
  start(): Promise<BatchConsumer>;
  /** How often the trip is read again, ms (default 5000): a reset starts the consumer, another replica's trip stops it. */
  pollMs?: number;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'gauge'>;
}

export interface GuardedConsumer {
  /** The trip that holds the consumer stopped, if any (readiness is red while there is one). */
  trip(): DlqTrip | undefined;
  /** Stops the consumer (if running) and the polling. */
  stop(): Promise<void>;
  /** Resolves after `stop()`; rejects when the consumer stopped for another reason than its DLQ limit. */
  done: Promise<void>;
}

/**
 * Runs a consumer whose DLQ limit is stored (arroyo's DlqLimit, made durable): while its group is
 * tripped the consumer does not run and the service stays up, not ready, saying why and how to
 * clear it; once an operator clears it (`tributary dlq reset-limit`) the consumer starts again. A
 * trip of the running consumer (or of another replica of the group) stops it. Any other failure of
 * the consumer rejects `done`, as before.
 */
export async function runGuardedConsumer(options: DlqGuardOptions): Promise<GuardedConsumer> {
  const { groupId, store, logger, metrics } = options;
  const pollMs = options.pollMs ?? 5000;
  let current: BatchConsumer | undefined;
  let trip: DlqTrip | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();
  let settle!: { resolve(): void; reject(err: unknown): void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined);

  const hold = (t: DlqTrip): void => {
    const first = trip === undefined;
    trip = t;
    metrics?.gauge('tributary_dlq_limit_tripped').set({ group: groupId }, 1);
    if (first)
      logger?.error(LogEvents.kafkaDlqLimitTripped, new DlqLimitTrippedError(t).message, {
        groupId,
        trip: t,
      });
  };
  const release = (): void => {
    if (trip)
      logger?.info(
        LogEvents.kafkaDlqLimitCleared,
        `consumer ${groupId}: DLQ limit cleared, consuming again`,
        { groupId },
      );
    trip = undefined;
    metrics?.gauge('tributary_dlq_limit_tripped').set({ group: groupId }, 0);
  };

  const watch = (consumer: BatchConsumer): void => {
    consumer.done.then(
      () => undefined,
      (err: unknown) => {
        if (current === consumer) current = undefined;
        if (err instanceof DlqLimitExceededError) hold(tripOf(err, new Date()));
        else if (err instanceof DlqLimitTrippedError) hold(err.trip);
        else if (!stopped) {
          stopped = true;
          clearTimeout(timer);
          settle.reject(err);
        }
      },
    );
  };

  /** One look at the store: start the consumer when the group is clear, stop it when tripped. */
  const check = async (): Promise<void> => {
    const t = await store.tripped(groupId);
    if (stopped) return;
    if (t) {
      hold(t);
      const running = current;
      current = undefined;
      await running?.stop();
      return;
    }
    if (current) return;
    release();
    try {
      current = await options.start();
      watch(current);
    } catch (err) {
      if (err instanceof DlqLimitTrippedError) hold(err.trip);
      else throw err;
    }
  };

  const poll = (): void => {
    timer = setTimeout(() => {
      busy = check().catch((err: unknown) => {
        logger?.warn(
          LogEvents.kafkaConsumerFailed,
          `consumer ${groupId}: DLQ trip check failed: ${errorMessage(err)}`,
          { groupId, err },
        );
      });
      void busy.then(() => {
        if (!stopped) poll();
      });
    }, pollMs);
    timer.unref();
  };

  await check();
  poll();
  return {
    trip: () => trip,
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await busy;
      const running = current;
      current = undefined;
      await running?.stop();
      settle.resolve();
    },
  };
}
