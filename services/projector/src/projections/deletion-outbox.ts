import type { PoolClient } from 'pg';
import { entityTopic, type EntityOf, type Source } from '@tributary/contracts';
import type { SweepReport } from '../core/deletion-sweep';
import type { TableSpec } from '../core/table-spec';

/**
 * Queues a RecordDeleted for every row the sweeps of this transaction marked (ADR 0024), in the same
 * transaction: the rows are those whose `deleted_by_sync_id` is the run (one sweep per run and
 * entity). The relay (deletion-relay.ts) publishes them to the entity topic. Idempotent.
 */
export async function queueDeletionEvents(
  db: PoolClient,
  reports: readonly SweepReport[],
  tableOf: (source: string, entity: string) => TableSpec | undefined,
): Promise<number> {
  let queued = 0;
  for (const r of reports) {
    const spec = tableOf(r.source, r.entity);
    if (!spec || r.marked === 0) continue;
    const topic = entityTopic(r.source as Source, r.entity as EntityOf<Source>);
    const res = await db.query(
      `INSERT INTO projector_deletion_outbox (topic, source, entity, record_id, sync_id, deleted_at)
       SELECT $1, $2, $3, ${spec.key}::text, deleted_by_sync_id, deleted_at FROM ${spec.table}
       WHERE deleted_by_sync_id = $4 AND deleted_at IS NOT NULL
       ON CONFLICT (topic, record_id, sync_id) DO NOTHING`,
      [topic, r.source, r.entity, r.syncId],
    );
    queued += res.rowCount ?? 0;
  }
  return queued;
}
