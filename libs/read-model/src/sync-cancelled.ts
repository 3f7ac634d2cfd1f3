import type { PoolClient } from 'pg';
import type { SyncCancelled } from '@tributary/contracts';

/**
 * A cancelled run (ADR 0017): the run and the entity rows the ingest had not finished become
 * `cancelled`. An entity the ingest completed (records_fetched set) but whose records the projector
 * is still counting stays `running` and settles to `completed` as usual. A run cancelled before it
 * started gets its row here (no SyncStarted came). The projector's tallies of the pages committed
 * before the stop go on adding to the rows: those are the counts so far. A run that already ended is
 * left as it is (the ingest publishes SyncCancelled only for a run it stopped; this is the guard).
 */
export async function applySyncCancelled(db: PoolClient, e: SyncCancelled): Promise<void> {
  const message = `cancelled by ${e.cancelledBy}`;
  const { rowCount } = await db.query(
    `INSERT INTO sync_runs (sync_id, source, sync_type, status, error_message, started_at, ingest_completed_at, completed_at)
     VALUES ($1, $2, $3, 'cancelled', $4, $5, $5, $5)
     ON CONFLICT (sync_id) DO UPDATE SET status = 'cancelled', error_message = excluded.error_message,
       ingest_completed_at = excluded.ingest_completed_at, completed_at = excluded.completed_at
     WHERE sync_runs.status IN ('running', 'cancelled')`,
    [e.syncId, e.source, e.mode, message, e.at],
  );
  if (rowCount === 0) return;
  await db.query(
    `UPDATE sync_log SET status = 'cancelled', completed_at = $2, error_message = $3
     WHERE sync_id = $1 AND status = 'running' AND records_fetched IS NULL`,
    [e.syncId, e.at, message],
  );
}
