import type { PoolClient } from 'pg';
import type { SyncEvent } from '@tributary/contracts';
import { applySyncCancelled } from './sync-cancelled';

/**
 * The writes of sync_runs / sync_log (the reads are in sync-runs.ts): what the projector records of a
 * run, in the transaction that also writes the run's rows. One package owns this schema.
 */

/** What the projector did with one sync run's records of one entity in one batch. */
export interface SyncTally {
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Adds the projector's counts to the sync log (same transaction as the rows and the offsets). */
export async function addTallies(
  db: PoolClient,
  source: string,
  entity: string,
  tallies: ReadonlyMap<string, SyncTally>,
): Promise<void> {
  // In id order: two transactions adding to the same runs (a topic's partitions side by side, ADR
  // 0023) lock their rows in one order and never deadlock.
  for (const [syncId, t] of [...tallies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    await db.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, records_inserted, records_updated, records_unchanged, records_failed)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sync_id, entity_type) DO UPDATE SET
         records_inserted = sync_log.records_inserted + excluded.records_inserted,
         records_updated = sync_log.records_updated + excluded.records_updated,
         records_unchanged = sync_log.records_unchanged + excluded.records_unchanged,
         records_failed = sync_log.records_failed + excluded.records_failed`,
      [syncId, source, entity, t.inserted, t.updated, t.unchanged, t.failed],
    );
  }
  if (tallies.size > 0) await settle(db, [...tallies.keys()]);
}

/** Projects one lifecycle event of sync.events into sync_runs / sync_log. */
export async function applySyncEvent(db: PoolClient, e: SyncEvent): Promise<void> {
  switch (e.type) {
    case 'SyncStarted':
      await db.query(
        `INSERT INTO sync_runs (sync_id, source, sync_type, trigger, entities, started_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sync_id) DO UPDATE SET sync_type = excluded.sync_type, trigger = excluded.trigger,
           entities = excluded.entities`,
        [e.syncId, e.source, e.mode, e.trigger, e.entities, e.at],
      );
      return;
    case 'EntityStarted':
      await db.query(
        `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, started_at)
         VALUES ($1, $2, $3, (SELECT sync_type FROM sync_runs WHERE sync_id = $1), $4)
         ON CONFLICT (sync_id, entity_type) DO UPDATE SET started_at = LEAST(sync_log.started_at, excluded.started_at),
           sync_type = COALESCE(sync_log.sync_type, excluded.sync_type)`,
        [e.syncId, e.source, e.entity, e.at],
      );
      return;
    case 'EntityProgress':
      await db.query(
        `INSERT INTO sync_log (sync_id, source, entity_type, pages, total_pages, records_seen)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sync_id, entity_type) DO UPDATE SET pages = GREATEST(sync_log.pages, excluded.pages),
           total_pages = excluded.total_pages, records_seen = GREATEST(sync_log.records_seen, excluded.records_seen)`,
        [e.syncId, e.source, e.entity, e.pages, e.totalPages, e.fetched],
      );
      return;
    case 'EntityCompleted':
      await db.query(
        `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, records_fetched, pages, high_water_mark)
         VALUES ($1, $2, $3, (SELECT sync_type FROM sync_runs WHERE sync_id = $1), $4, $5, $6)
         ON CONFLICT (sync_id, entity_type) DO UPDATE SET records_fetched = excluded.records_fetched, records_seen = excluded.records_fetched,
           pages = excluded.pages, high_water_mark = excluded.high_water_mark`,
        [e.syncId, e.source, e.entity, e.fetched, e.pages, e.highWaterMark],
      );
      await settle(db, [e.syncId]);
      return;
    case 'EntityFailed':
      await db.query(
        `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, records_fetched, status, fetch_failed, error_message, completed_at)
         VALUES ($1, $2, $3, (SELECT sync_type FROM sync_runs WHERE sync_id = $1), $4, 'failed', true, $5, $6)
         ON CONFLICT (sync_id, entity_type) DO UPDATE SET records_fetched = excluded.records_fetched,
           status = 'failed', fetch_failed = true, error_message = excluded.error_message, completed_at = excluded.completed_at`,
        [e.syncId, e.source, e.entity, e.fetched, e.error, e.at],
      );
      await settle(db, [e.syncId]);
      return;
    case 'SyncCompleted':
      await db.query(`UPDATE sync_runs SET ingest_completed_at = $2 WHERE sync_id = $1`, [e.syncId, e.at]);
      await settle(db, [e.syncId]);
      return;
    case 'SyncFailed':
      await db.query(
        `INSERT INTO sync_runs (sync_id, source, sync_type, status, error_message, completed_at)
         VALUES ($1, $2, 'unknown', 'failed', $3, $4)
         ON CONFLICT (sync_id) DO UPDATE SET status = 'failed', error_message = excluded.error_message,
           completed_at = excluded.completed_at`,
        [e.syncId, e.source, e.error, e.at],
      );
      return;
    case 'SyncSkipped':
      await db.query(
        `INSERT INTO sync_runs (sync_id, source, sync_type, status, error_message, started_at, completed_at)
         VALUES ($1, $2, 'skipped', 'skipped', $3, $4, $4)
         ON CONFLICT (sync_id) DO UPDATE SET status = 'skipped', error_message = excluded.error_message,
           completed_at = excluded.completed_at`,
        [e.syncId, e.source, e.reason, e.at],
      );
      return;
    case 'SyncCancelled':
      await applySyncCancelled(db, e);
      return;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * An entity of a run is `completed` once the ingest said how many it fetched and the projector has
 * accounted for every one of them; a run is finished once the ingest completed and no entity is
 * still running.
 */
export async function settle(db: PoolClient, syncIds: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE sync_log SET status = 'completed', completed_at = now()
     WHERE sync_id = ANY($1) AND status = 'running' AND records_fetched IS NOT NULL
       AND records_inserted + records_updated + records_unchanged + records_failed >= records_fetched`,
    [syncIds],
  );
  await db.query(
    `UPDATE sync_runs r SET
       status = CASE WHEN EXISTS (SELECT 1 FROM sync_log l WHERE l.sync_id = r.sync_id AND l.status = 'failed')
                     THEN 'completed_with_errors' ELSE 'completed' END,
       completed_at = now()
     WHERE r.sync_id = ANY($1) AND r.status = 'running' AND r.ingest_completed_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sync_log l WHERE l.sync_id = r.sync_id AND l.status = 'running')`,
    [syncIds],
  );
}
