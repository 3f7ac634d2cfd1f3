import type { PoolClient } from 'pg';
import { copyUpsertRows, encodeCopyAhead } from './copy-upsert';
import type { Outcome, RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';
import { upsertRows } from './upsert';
import type { UpsertOptions } from './upsert-sql';

/**
 * Which write path a run of writes takes, by its size (ADR 0016): from `copyMinRows` writes, COPY
 * into a staging table and one set-based upsert (a backlog, a replay, a rebuild); below, the
 * multi-row upsert, one round trip (a webhook, an incremental sync). Both store the same rows.
 * Set once at start-up (PROJECTOR_COPY_MIN_ROWS); tests set it to force one path.
 */
export const WRITE_PATH = { copyMinRows: 500 };

/** The monotonic upsert of one run, by the path its size calls for. */
export function upsertRun(
  db: PoolClient,
  spec: TableSpec,
  writes: readonly RowWrite[],
  options: UpsertOptions = {},
): Promise<Map<string, Outcome>> {
  return writes.length >= WRITE_PATH.copyMinRows
    ? copyUpsertRows(db, spec, writes, options)
    : upsertRows(db, spec, writes, options);
}

/**
 * What of a run's write can be done before it (ADR 0023): the COPY text of a run that will take
 * the COPY path. Pure CPU; the write then sends it as made.
 */
export function prepareRun(writes: readonly RowWrite[]): void {
  if (writes.length >= WRITE_PATH.copyMinRows) encodeCopyAhead(writes);
}
