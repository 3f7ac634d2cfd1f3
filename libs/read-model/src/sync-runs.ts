import type { Pool } from 'pg';
import type { Source } from '@tributary/contracts';

/** One entity of a run, as sync_log records it (JSON for the admin API and the dashboard). */
export interface EntityStatus {
  entityType: string;
  status: string;
  syncType: string | null;
  recordsFetched: number | null;
  recordsSeen: number;
  recordsInserted: number;
  recordsUpdated: number;
  recordsUnchanged: number;
  recordsFailed: number;
  pages: number | null;
  totalPages: number | null;
  highWaterMark: string | null;
  startedAt: string | null;
  completedAt: string | null;
  errorMessage: string | null;
  /** Rows a complete full sync marked deleted (null: it did not sweep, or marked none because of deletionNote; ADR 0018). */
  recordsDeleted?: number | null;
  /** What the deletion sweep did, or why it marked nothing (over the guard, records failed). */
  deletionNote?: string | null;
  /** Records of the run older than their stored rows: the source answered older (drift, ADR 0024). */
  recordsDrifted?: number;
}

/** One sync run (sync_runs) with its entities in the run's order. */
export interface RunStatus {
  syncId: string;
  source: string;
  syncType: string;
  trigger: string | null;
  requestedBy: string | null;
  entities: string[];
  status: string;
  errorMessage: string | null;
  startedAt: string;
  ingestCompletedAt: string | null;
  completedAt: string | null;
  entityLogs: EntityStatus[];
}

export interface RunTotals {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Every status of a run (sync_runs.status): `running` until the run ends, then one of the others. */
export const RUN_STATUSES = [
  'running',
  'completed',
  'completed_with_errors',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type RunStatusValue = (typeof RUN_STATUSES)[number];

/** Every status of an entity row (sync_log.status). */
export const ENTITY_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;

/** Statuses of a finished run that did sync (a skipped or failed run did not). */
export const COMPLETED_STATUSES = ['completed', 'completed_with_errors'] as const;

interface RunRow {
  sync_id: string;
  source: string;
  sync_type: string;
  trigger: string | null;
  requested_by: string | null;
  entities: string[];
  status: string;
  error_message: string | null;
  started_at: Date;
  ingest_completed_at: Date | null;
  completed_at: Date | null;
}

interface LogRow {
  sync_id: string;
  entity_type: string;
  status: string;
  sync_type: string | null;
  records_fetched: number | null;
  records_seen: number;
  records_inserted: number;
  records_updated: number;
  records_unchanged: number;
  records_failed: number;
  pages: number | null;
  total_pages: number | null;
  high_water_mark: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  error_message: string | null;
  records_deleted: number | null;
  deletion_note: string | null;
  records_drifted: number;
}

const RUN_COLUMNS = `sync_id, source, sync_type, trigger, requested_by, entities, status, error_message, started_at,
  ingest_completed_at, completed_at`;
const LOG_COLUMNS = `sync_id, entity_type, status, sync_type, records_fetched, records_seen, records_inserted, records_updated,
  records_unchanged, records_failed, pages, total_pages, high_water_mark, started_at, completed_at, error_message,
  records_deleted, deletion_note, records_drifted`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toEntity(r: LogRow): EntityStatus {
  return {
    entityType: r.entity_type,
    status: r.status,
    syncType: r.sync_type,
    recordsFetched: r.records_fetched,
    recordsSeen: r.records_seen,
    recordsInserted: r.records_inserted,
    recordsUpdated: r.records_updated,
    recordsUnchanged: r.records_unchanged,
    recordsFailed: r.records_failed,
    pages: r.pages,
    totalPages: r.total_pages,
    highWaterMark: r.high_water_mark,
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
    errorMessage: r.error_message,
    recordsDeleted: r.records_deleted,
    deletionNote: r.deletion_note,
    recordsDrifted: r.records_drifted,
  };
}

function toRun(r: RunRow, logs: LogRow[]): RunStatus {
  const order = (e: string): number => {
    const i = r.entities.indexOf(e);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return {
    syncId: r.sync_id,
    source: r.source,
    syncType: r.sync_type,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    entities: r.entities,
    status: r.status,
    errorMessage: r.error_message,
    startedAt: r.started_at.toISOString(),
    ingestCompletedAt: iso(r.ingest_completed_at),
    completedAt: iso(r.completed_at),
    entityLogs: logs
      .filter((l) => l.sync_id === r.sync_id)
      .sort(
        (a, b) => order(a.entity_type) - order(b.entity_type) || a.entity_type.localeCompare(b.entity_type),
      )
      .map(toEntity),
  };
}

async function withLogs(pool: Pool, runs: RunRow[]): Promise<RunStatus[]> {
  if (runs.length === 0) return [];
  const { rows } = await pool.query<LogRow>(`SELECT ${LOG_COLUMNS} FROM sync_log WHERE sync_id = ANY($1)`, [
    runs.map((r) => r.sync_id),
  ]);
  return runs.map((r) => toRun(r, rows));
}

/** The last `limit` runs of a source, newest first, each with its entity rows. */
export async function listRuns(pool: Pool, source: Source, limit = 20): Promise<RunStatus[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE source = $1 ORDER BY started_at DESC, sync_id LIMIT $2`,
    [source, limit],
  );
  return withLogs(pool, rows);
}

/** One run with its entities, or null when the id is unknown. */
export async function getRun(pool: Pool, syncId: string): Promise<RunStatus | null> {
  const { rows } = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM sync_runs WHERE sync_id = $1`, [
    syncId,
  ]);
  const [run] = await withLogs(pool, rows);
  return run ?? null;
}

/** Counts summed over a run's entities (fetched: what the ingest reported, or saw so far). */
export function runTotals(run: RunStatus): RunTotals {
  const sum = (f: (e: EntityStatus) => number): number => run.entityLogs.reduce((n, e) => n + f(e), 0);
  return {
    fetched: sum((e) => e.recordsFetched ?? e.recordsSeen),
    inserted: sum((e) => e.recordsInserted),
    updated: sum((e) => e.recordsUpdated),
    unchanged: sum((e) => e.recordsUnchanged),
    failed: sum((e) => e.recordsFailed),
  };
}

/** The newest run of each source that finished syncing (completed, possibly with errors). */
export async function lastCompletedRuns(
  pool: Pool,
  sources: readonly Source[],
): Promise<Record<string, RunStatus | null>> {
  const { rows } = await pool.query<RunRow>(
    `SELECT DISTINCT ON (source) ${RUN_COLUMNS} FROM sync_runs
     WHERE source = ANY($1) AND status = ANY($2)
     ORDER BY source, completed_at DESC NULLS LAST, started_at DESC`,
    [sources, COMPLETED_STATUSES],
  );
  const runs = await withLogs(pool, rows);
  return Object.fromEntries(sources.map((s) => [s, runs.find((r) => r.source === s) ?? null]));
}
