import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TOPICS, type Source, type SyncCancelRequested } from '@tributary/contracts';
import { errorMessage, TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import type { Cancellations } from './cancellations';

export interface CancelWatcherOptions {
  kafka: Kafka;
  source: Source;
  cancellations: Cancellations;
  decode(value: Buffer): Promise<SyncCancelRequested>;
  logger: Logger;
  /** How long reading the topic to its end at start-up may take. */
  timeoutMs?: number;
}

export interface CancelWatcher {
  /** Resolves once every cancel published before the start is in `cancellations`. */
  ready: Promise<void>;
  /** Settles when the reader stops (rejects if kafkajs gave up on it). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads `sync.control` whole, from its beginning, and keeps reading (ADR 0017): every ingest replica
 * runs its own reader (a fresh group of its own, nothing committed), so the replica that holds a run
 * sees its cancel whichever partition the command came from, and a replica that starts later still
 * knows the cancels of commands it has yet to receive. Cancels of other sources are ignored; one that
 * cannot be decoded is logged and skipped (nothing is committed, nothing to dead-letter).
 */
export async function watchCancellations(o: CancelWatcherOptions): Promise<CancelWatcher> {
  const topic = TOPICS.syncControl;
  const timeoutMs = o.timeoutMs ?? 60_000;
  const admin = o.kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    // A partition whose records all expired (low = high) has nothing to wait for.
    ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [
        p.partition,
        BigInt(p.high) > BigInt(p.low) ? BigInt(p.high) : 0n,
      ]),
    );
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([partition]) => partition));
  let caughtUp!: () => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    caughtUp = resolve;
    failed = reject;
  });
  if (pending.size === 0) caughtUp();
  const timer = setTimeout(
    () =>
      failed(
        new TributaryError(
          'CANCEL_WATCH_TIMEOUT',
          `could not read ${topic} to its end within ${timeoutMs} ms`,
          {
            retriable: true,
          },
        ),
      ),
    timeoutMs,
  );
  void ready.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );

  const consumer = o.kafka.consumer({
    groupId: `cancel-watch-${o.source}-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 250,
  });
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) reject(e.payload.error);
    });
    consumer.on(consumer.events.STOP, () => {
      if (stopped) resolve();
    });
  });
  done.catch(failed);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        if (!m.value) continue;
        let request: SyncCancelRequested;
        try {
          request = await o.decode(m.value);
        } catch (err) {
          o.logger.warn(
            'kafka.consumer.failed',
            `${topic}: skipped an unreadable cancel: ${errorMessage(err)}`,
            {
              topic,
              partition: batch.partition,
              offset: m.offset,
            },
          );
          continue;
        }
        if (request.source !== o.source || !o.cancellations.add(request)) continue;
        o.logger.info(
          'sync.cancel_requested',
          `sync ${request.syncId} cancel requested by ${request.requestedBy}`,
          {
            syncId: request.syncId,
            requestedBy: request.requestedBy,
          },
        );
      }
      const end = ends.get(batch.partition) ?? 0n;
      if (pending.has(batch.partition) && BigInt(batch.lastOffset()) + 1n >= end) {
        pending.delete(batch.partition);
        if (pending.size === 0) caughtUp();
      }
    },
  });
  return {
    ready,
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await consumer.disconnect();
    },
  };
}
