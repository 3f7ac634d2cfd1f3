import { TOPICS, type Source, type SyncCancelRequested } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';
import { readTopic, type Kafka } from '@tributary/kafka';
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

  const reader = await readTopic({
    kafka: o.kafka,
    topic,
    groupPrefix: `cancel-watch-${o.source}`,
    fromBeginning: true,
    decode: o.decode,
    onRecord: (request) => {
      if (request.source !== o.source || !o.cancellations.add(request)) return;
      o.logger.info(
        'sync.cancel_requested',
        `sync ${request.syncId} cancel requested by ${request.requestedBy}`,
        {
          syncId: request.syncId,
          requestedBy: request.requestedBy,
        },
      );
    },
    onUndecodable: (message, at) =>
      o.logger.warn('kafka.consumer.failed', `${topic}: skipped an unreadable cancel: ${message}`, {
        topic,
        ...at,
      }),
    onBatchEnd: (partition, lastOffset) => {
      const end = ends.get(partition) ?? 0n;
      if (pending.has(partition) && BigInt(lastOffset) + 1n >= end) {
        pending.delete(partition);
        if (pending.size === 0) caughtUp();
      }
    },
  });
  reader.done.catch(failed);
  return {
    ready,
    done: reader.done,
    async stop() {
      clearTimeout(timer);
      await reader.stop();
    },
  };
}
