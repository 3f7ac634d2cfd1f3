import type { PoolClient } from 'pg';
import type { RecordObserved } from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import type { TableSpec } from '../core/table-spec';

/**
 * Whether `id` can be compared with the table's key, and `at` stored as a timestamp: a record that
 * cannot (a malformed id) is left to its projection, which dead-letters it; these statements must
 * never fail the transaction of a whole batch.
 */
export function comparable(spec: TableSpec, id: string, at: string | null): boolean {
  return (
    (spec.keyType !== 'bigint' || /^-?\d{1,18}$/.test(id)) && at !== null && Number.isFinite(Date.parse(at))
  );
}

/** The polled observations of sync runs in one table's records (webhooks and repairs are not a run's answer). */
export function runObservations(events: readonly unknown[]): RecordObserved[] {
  return events.filter((v): v is RecordObserved => {
    const e = v as Partial<RecordObserved> | null;
    return e?.type === 'RecordObserved' && e.origin === 'poll' && typeof e.syncId === 'string';
  });
}

/**
 * Drift a sync run sees (ADR 0024): its observations whose version is older than the stored row's,
 * i.e. the source answers older than what is stored (a source restored from a backup, a clock skew,
 * a webhook with a wrong timestamp). Run before the upsert (whose guard keeps the stored row), in
 * the same transaction: counted on the run's sync_log row (`records_drifted`), logged and metered.
 * One indexed query per table per transaction carrying sync-run records. Returns the count.
 */
export async function countDriftSeen(
  db: PoolClient,
  source: string,
  entity: string,
  spec: TableSpec,
  all: readonly RecordObserved[],
  logger?: Logger,
  metrics?: Metrics,
): Promise<number> {
  const events = all.filter((e) => comparable(spec, e.id, e.sourceUpdatedAt ?? e.observedAt));
  if (events.length === 0) return 0;
  const res = await db.query<{ sync_id: string; n: number; sample: string }>(
    `SELECT d.sync_id, count(*)::int AS n, min(d.key::text) AS sample
     FROM ${spec.table} AS t
     JOIN unnest($1::${spec.keyType}[], $2::timestamptz[], $3::text[]) AS d(key, v, sync_id) ON t.${spec.key} = d.key
     WHERE t.version_at > d.v
     GROUP BY d.sync_id
     ORDER BY d.sync_id`,
    [
      events.map((e) => e.id),
      events.map((e) => e.sourceUpdatedAt ?? e.observedAt),
      events.map((e) => e.syncId),
    ],
  );
  let total = 0;
  for (const r of res.rows) {
    total += r.n;
    await db.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, records_drifted) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sync_id, entity_type) DO UPDATE SET records_drifted = sync_log.records_drifted + excluded.records_drifted`,
      [r.sync_id, source, entity, r.n],
    );
    metrics?.counter('tributary_projector_drift_seen_total').inc({ table: spec.table }, r.n);
    logger?.warn(
      'projector.drift.seen',
      `${source} ${entity}: sync ${r.sync_id} read ${r.n} records older than the stored rows (e.g. ${r.sample}); the stored rows are kept, \`tributary reconcile ${source} --sample N\` reports them, --repair writes the source's answer`,
      { syncId: r.sync_id, source, entity, drifted: r.n, sampleId: r.sample },
    );
  }
  return total;
}
