import type { PoolClient } from 'pg';
import type { RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';
import { needsSeen, seenUpdates } from './upsert-sql';

/**
 * Records that the rows of `writes` were observed again although the version guard left their data
 * unchanged (ADR 0018): `last_seen_at` moves on to the observation time, and a row deleted before
 * that time is live again. One statement; only rows whose stamp moves are written (a row already
 * stamped by the upsert is not touched), and `last_seen_at` has no index, so the update is HOT.
 */
export async function stampSeen(db: PoolClient, spec: TableSpec, writes: readonly RowWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `UPDATE ${spec.table} t SET ${seenUpdates('x.seen')}
     FROM unnest($1::${spec.keyType}[], $2::timestamptz[]) AS x(key, seen)
     WHERE t.${spec.key} = x.key AND ${needsSeen('x.seen')}`,
    [writes.map((w) => w.row[spec.key]), writes.map((w) => w.seenAt ?? w.observedAt)],
  );
}

/**
 * The same for a run staged for COPY (copy-upsert.ts): every staged row, read from the session's
 * staging table (no parameters); rows the upsert already stamped are filtered by the condition.
 */
export async function stampSeenFromStage(db: PoolClient, spec: TableSpec, stage: string): Promise<void> {
  await db.query(
    `UPDATE ${spec.table} t SET ${seenUpdates('x.last_seen_at')}
     FROM ${stage} x
     WHERE t.${spec.key} = x.${spec.key} AND ${needsSeen('x.last_seen_at')}`,
  );
}
