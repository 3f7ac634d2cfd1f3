import type { Pool, PoolClient } from 'pg';
import { isSource, uuid, type Source } from '@tributary/contracts';

/**
 * What a cancel would act on (ADR 0017): a run the ingest has started (`running` while the ingest has
 * not finished it, else `ended` with its status), or a sync requested through the scheduler that no
 * ingest has started yet (`queued`, from the scheduler's `tributary_sync_requests`).
 */
export type CancelTarget =
  | { syncId: string; source: Source; state: 'queued' }
  | { syncId: string; source: Source; state: 'running' }
  | { syncId: string; source: Source; state: 'ended'; status: string };

/** The run or queued request `syncId`, or null when neither the read models nor the scheduler know it. */
export async function findCancelTarget(db: Pool | PoolClient, syncId: string): Promise<CancelTarget | null> {
  // Every syncId is a UUID (SyncRequested): anything else is unknown, and never reaches a query.
  if (!uuid.safeParse(syncId).success) return null;
  const runs = await db.query<{ source: string; status: string; ingest_done: boolean }>(
    `SELECT source, status, ingest_completed_at IS NOT NULL AS ingest_done FROM sync_runs WHERE sync_id = $1`,
    [syncId],
  );
  const run = runs.rows[0];
  if (run && isSource(run.source)) {
    // An ingest that completed the run has nothing left to stop (the projector may still be counting).
    return run.status === 'running' && !run.ingest_done
      ? { syncId, source: run.source, state: 'running' }
      : { syncId, source: run.source, state: 'ended', status: run.status };
  }
  // The scheduler's table exists wherever the scheduler has run (not in a projector-only database).
  const table = await db.query<{ present: boolean }>(
    `SELECT to_regclass('tributary_sync_requests') IS NOT NULL AS present`,
  );
  if (!table.rows[0]?.present) return null;
  const requests = await db.query<{ source: string }>(
    `SELECT source FROM tributary_sync_requests WHERE sync_id = $1`,
    [syncId],
  );
  const queued = requests.rows[0];
  return queued && isSource(queued.source) ? { syncId, source: queued.source, state: 'queued' } : null;
}
