import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { Source, SyncRequested } from '@tributary/contracts';
import { migrate } from '@tributary/db';
import type { Logger } from '@tributary/observability';

/** The scheduler's own tables (sync requests, cron slots), recorded apart from other migration sets. */
export const SCHEDULER_MIGRATIONS = join(__dirname, '..', '..', 'migrations');
export const SCHEDULER_MIGRATIONS_TABLE = 'scheduler_migrations';

export async function migrateScheduler(pool: Pool, logger?: Logger): Promise<number[]> {
  return migrate(pool, SCHEDULER_MIGRATIONS, { table: SCHEDULER_MIGRATIONS_TABLE, logger });
}

/** A sync of a source that is still to come or under way. */
export interface ActiveSync {
  syncId: string;
  status: 'queued' | 'running';
}

/**
 * Runs `fn` in a transaction holding the source's advisory lock, so two requests for one source
 * (two replicas, two clicks) are decided one after the other: the second sees the first.
 */
export async function withSourceLock<T>(
  pool: Pool,
  source: Source,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('tributary.sync_request.' || $1))`, [source]);
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The source's newest sync that is running (started within a day: an older "running" run is a
 * crashed one), or requested here within `queuedTimeoutMinutes`, not started yet and not cancelled
 * (the audit log records an accepted cancel at once; the run's row only once an ingest reaches it).
 */
export async function findActiveSync(
  client: PoolClient,
  source: Source,
  queuedTimeoutMinutes: number,
): Promise<ActiveSync | null> {
  const { rows } = await client.query<{ sync_id: string; status: 'queued' | 'running' }>(
    `SELECT sync_id, status FROM (
       SELECT r.sync_id, 'queued' AS status, r.requested_at AS at
       FROM tributary_sync_requests r LEFT JOIN sync_runs s ON s.sync_id = r.sync_id
       WHERE r.source = $1 AND s.sync_id IS NULL AND r.requested_at > now() - make_interval(mins => $2)
         -- A queued sync whose cancel was accepted (ADR 0017) will never run: not one to coalesce with.
         AND NOT EXISTS (SELECT 1 FROM tributary_audit_log a
                         WHERE a.action = 'sync.cancel' AND a.outcome = 'ok' AND a.target = r.sync_id)
       UNION ALL
       SELECT sync_id, 'running', started_at FROM sync_runs
       WHERE source = $1 AND status = 'running' AND started_at > now() - interval '1 day'
     ) active ORDER BY at DESC LIMIT 1`,
    [source, queuedTimeoutMinutes],
  );
  const row = rows[0];
  return row ? { syncId: row.sync_id, status: row.status } : null;
}

export async function insertSyncRequest(client: PoolClient, command: SyncRequested): Promise<void> {
  await client.query(
    `INSERT INTO tributary_sync_requests (sync_id, source, mode, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)`,
    [command.syncId, command.source, command.mode, command.requestedBy, command.requestedAt],
  );
}

/** The sync a cron slot got, if the slot was already called. */
export async function findCronSlot(client: PoolClient, slotKey: string): Promise<string | null> {
  const { rows } = await client.query<{ sync_id: string }>(
    `SELECT sync_id FROM tributary_cron_slots WHERE slot_key = $1`,
    [slotKey],
  );
  return rows[0]?.sync_id ?? null;
}

export async function insertCronSlot(client: PoolClient, slotKey: string, syncId: string): Promise<void> {
  await client.query(`INSERT INTO tributary_cron_slots (slot_key, sync_id) VALUES ($1, $2)`, [
    slotKey,
    syncId,
  ]);
}
