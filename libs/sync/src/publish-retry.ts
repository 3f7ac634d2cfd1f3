import { isRetriable, sleep } from '@tributary/core';
import type { OutgoingRecord } from '@tributary/kafka';
import type { AtomicPublisher } from './outgoing';

/** How a page's transaction is retried after a retriable failure (a broker restarting, a failover). */
export interface PublishRetry {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Give up (and fail the entity) once retries have taken this long. */
  giveUpAfterMs: number;
}

/**
 * A Kafka outage shorter than `giveUpAfterMs` pauses the sync at its page (the command stays
 * uncommitted, the checkpoint where it was) and it goes on when Kafka answers again. 90 s was too
 * short: one transaction stuck in a 90 s broker pause took 90.7 s by itself, so the entity failed and
 * its remaining pages waited for the next sync (chaos case `kafka`, full mode).
 */
export const DEFAULT_PUBLISH_RETRY: PublishRetry = {
  firstDelayMs: 250,
  maxDelayMs: 5_000,
  giveUpAfterMs: 15 * 60_000,
};

/**
 * Publishes one transaction, retrying it while the failure is retriable (a failed transaction was
 * aborted, so sending the same records again neither loses nor doubles anything; a commit whose
 * answer was lost is absorbed by the projector's idempotent upserts). A final failure (a fenced
 * producer, a refused record) or the signal ends it at once.
 */
export async function publishWithRetry(
  publisher: AtomicPublisher,
  records: readonly OutgoingRecord[],
  signal?: AbortSignal,
  retry: PublishRetry = DEFAULT_PUBLISH_RETRY,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<void> {
  const started = Date.now();
  let delay = retry.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await publisher.publishAtomically(records);
      return;
    } catch (err) {
      if (!isRetriable(err) || signal?.aborted || Date.now() - started + delay > retry.giveUpAfterMs)
        throw err;
      onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
      if (signal?.aborted) throw err;
      delay = Math.min(retry.maxDelayMs, delay * 2);
    }
  }
}
