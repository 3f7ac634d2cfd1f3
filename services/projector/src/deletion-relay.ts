import type { Pool } from 'pg';
import {
  RecordObservedContract,
  deletionEventId,
  type RecordDeleted,
  type Source,
} from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import {
  createPublisher,
  type OutgoingRecord,
  type Publisher,
  type PublisherOptions,
} from '@tributary/kafka';
import type { Logger, Metrics } from '@tributary/observability';

interface OutboxRow {
  seq: string;
  topic: string;
  source: Source;
  entity: string;
  record_id: string;
  sync_id: string;
  deleted_at: Date;
}

export interface DeletionRelayOptions {
  pool: Pool;
  publisher: Pick<Publisher, 'publish'>;
  /** How often the outbox is read when idle, ms. */
  intervalMs?: number;
  /** Rows per publish. */
  batchSize?: number;
  logger?: Logger;
  metrics?: Metrics;
  now?: () => Date;
}

/** The RecordDeleted of one outbox row (its event id is derived: publishing it again is the same event). */
export function deletionEvent(row: OutboxRow, now: Date): RecordDeleted {
  return {
    type: 'RecordDeleted',
    version: 1,
    eventId: deletionEventId(row.source, row.entity, row.record_id, row.sync_id),
    source: row.source,
    entity: row.entity,
    id: row.record_id,
    deletedAt: row.deleted_at.toISOString(),
    syncId: row.sync_id,
    observedAt: now.toISOString(),
  };
}

/**
 * Publishes one batch of the deletion outbox (ADR 0024): the oldest rows, locked `SKIP LOCKED` so
 * replicas share the work, are published to their entity topics (acks=all), then deleted in the
 * same PostgreSQL transaction. A publish that fails leaves them queued; a commit that fails after
 * the publish publishes them again (at least once: the same event ids, applied idempotently).
 * Returns how many were published.
 */
export async function relayDeletionsOnce(options: DeletionRelayOptions): Promise<number> {
  const { pool, publisher, batchSize = 500, metrics } = options;
  const now = options.now ?? (() => new Date());
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const rows = (
      await db.query<OutboxRow>(
        `SELECT seq::text, topic, source, entity, record_id, sync_id, deleted_at FROM projector_deletion_outbox
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      )
    ).rows;
    if (rows.length > 0) {
      const at = now();
      const records: OutgoingRecord[] = rows.map((r) => ({
        contract: RecordObservedContract(r.topic),
        key: r.record_id,
        value: deletionEvent(r, at),
      }));
      await publisher.publish(records);
      await db.query(`DELETE FROM projector_deletion_outbox WHERE seq = ANY($1::bigint[])`, [
        rows.map((r) => r.seq),
      ]);
      for (const r of rows)
        metrics?.counter('tributary_projector_deletion_events_published_total').inc({ topic: r.topic });
    }
    await db.query('COMMIT');
    return rows.length;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    db.release();
  }
}

/** The relay loop: drains the outbox, then looks again every `intervalMs`. `stop()` ends it. */
export function startDeletionRelay(options: DeletionRelayOptions): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 1_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async (): Promise<void> => {
    try {
      let n: number;
      do {
        n = await relayDeletionsOnce(options);
        if (n > 0) {
          options.logger?.info(
            'projector.deletion_events.published',
            `${n} RecordDeleted events published to the entity topics`,
            { published: n },
          );
        }
      } while (n > 0 && !stopped);
    } catch (err) {
      options.logger?.warn('projector.deletion_events.failed', `deletion outbox: ${errorMessage(err)}`, {
        error: err,
      });
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  };
  timer = setTimeout(() => (running = tick()), 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The relay with its own idempotent producer (closed by `stop()`), as the projector runs it. */
export async function startDeletionOutbox(
  options: Omit<DeletionRelayOptions, 'publisher'> & Pick<PublisherOptions, 'kafka' | 'codec'>,
): Promise<{ stop(): Promise<void> }> {
  const { kafka, codec, ...rest } = options;
  const publisher = await createPublisher({
    kafka,
    codec,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const relay = startDeletionRelay({ ...rest, publisher });
  return {
    async stop() {
      await relay.stop();
      await publisher.close();
    },
  };
}
