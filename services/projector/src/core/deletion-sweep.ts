import type { PoolClient } from 'pg';
import { noteDeletions } from '@tributary/read-model';
import { decideSweep, type SweepDecision } from './deletion-guard';
import type { TableSpec } from './table-spec';

/** A (sync run, entity) whose ingest read the whole entity: swept once every record of it is projected. */
export interface SweepRequest {
  syncId: string;
  source: string;
  entity: string;
}

/** What one sweep did. */
export interface SweepReport extends SweepRequest {
  table: string;
  live: number;
  unseen: number;
  /** Rows marked deleted (0 when the guard held them). */
  marked: number;
  decision: SweepDecision;
}

/** Remembers the sweeps to run once their entity's records are all projected (idempotent). */
export async function requestSweeps(db: PoolClient, requests: readonly SweepRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await db.query(
    `INSERT INTO projector_deletion_sweeps (sync_id, source, entity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (sync_id, entity) DO NOTHING`,
    [requests.map((r) => r.syncId), requests.map((r) => r.source), requests.map((r) => r.entity)],
  );
}

interface Ready extends SweepRequest {
  failed: number;
  /** When the run started (its SyncStarted, the ingest's clock): a row last seen before was not seen by it. */
  since: Date;
}

/**
 * The pending sweeps of `syncIds` whose entity is settled: its sync_log row `completed` (the ingest
 * read every page and the projector accounted for every record, settle()), locked so that two
 * transactions never sweep the same one.
 */
async function readySweeps(db: PoolClient, syncIds: readonly string[]): Promise<Ready[]> {
  const res = await db.query<{
    sync_id: string;
    source: string;
    entity: string;
    failed: number;
    since: Date;
  }>(
    `SELECT s.sync_id, s.source, s.entity, l.records_failed AS failed, r.started_at AS since
     FROM projector_deletion_sweeps s
     JOIN sync_log l ON l.sync_id = s.sync_id AND l.entity_type = s.entity
     JOIN sync_runs r ON r.sync_id = s.sync_id
     WHERE s.sync_id = ANY($1) AND s.status = 'pending' AND l.status = 'completed' AND NOT l.fetch_failed
     ORDER BY s.sync_id, s.entity
     FOR UPDATE OF s`,
    [syncIds],
  );
  return res.rows.map((r) => ({
    syncId: r.sync_id,
    source: r.source,
    entity: r.entity,
    failed: r.failed,
    since: r.since,
  }));
}

const UNSEEN = `deleted_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < $1)`;

/**
 * Runs the sweeps of `syncIds` that are ready, inside the caller's transaction: counts the live rows
 * of the entity's table and those the run did not see, and, unless the guard says otherwise
 * (decideSweep), marks those deleted: `deleted_at` = the run's start, `deleted_by_sync_id` = the run.
 * Each sweep's outcome is kept (projector_deletion_sweeps) and noted on the run's sync_log row.
 * A sweep of an entity without a table here is closed as skipped.
 */
export async function runReadySweeps(
  db: PoolClient,
  syncIds: readonly string[],
  tableOf: (source: string, entity: string) => TableSpec | undefined,
  maxRatio: number,
): Promise<SweepReport[]> {
  if (syncIds.length === 0) return [];
  const reports: SweepReport[] = [];
  for (const s of await readySweeps(db, syncIds)) {
    const spec = tableOf(s.source, s.entity);
    let live = 0;
    let unseen = 0;
    let marked = 0;
    let decision: SweepDecision = { mark: false, note: `no read-model table for ${s.source} ${s.entity}` };
    if (spec) {
      const counts = await db.query<{ live: number; unseen: number }>(
        `SELECT count(*)::int AS live, count(*) FILTER (WHERE last_seen_at IS NULL OR last_seen_at < $1)::int AS unseen
         FROM ${spec.table} WHERE deleted_at IS NULL`,
        [s.since],
      );
      ({ live, unseen } = counts.rows[0]!);
      decision = decideSweep({ live, unseen, failed: s.failed, maxRatio });
      if (decision.mark && unseen > 0) {
        const res = await db.query(
          `UPDATE ${spec.table} SET deleted_at = $1, deleted_by_sync_id = $2 WHERE ${UNSEEN}`,
          [s.since, s.syncId],
        );
        marked = res.rowCount ?? 0;
      }
    }
    await db.query(
      `UPDATE projector_deletion_sweeps SET status = $3, live_rows = $4, unseen_rows = $5, marked = $6,
         max_ratio = $7, note = $8, swept_at = now()
       WHERE sync_id = $1 AND entity = $2`,
      [
        s.syncId,
        s.entity,
        decision.mark ? 'marked' : 'skipped',
        live,
        unseen,
        marked,
        maxRatio,
        decision.note,
      ],
    );
    await noteDeletions(db, s.syncId, s.entity, decision.mark ? marked : null, decision.note);
    reports.push({ ...s, table: spec?.table ?? '', live, unseen, marked, decision });
  }
  return reports;
}
