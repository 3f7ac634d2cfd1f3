import type { PoolClient } from 'pg';
import { copyIn } from './copy-in';
import { CopyDataWriter } from './copy-text';
import type { Outcome, RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';
import { stampSeenFromStage } from './seen-stamp';
import {
  addOutcomes,
  whileRunning,
  onConflict,
  type UpsertedRow,
  withSameContent,
  putWriteColumnValues,
  WRITE_COLUMNS,
  type UpsertOptions,
} from './upsert-sql';

/** The session's staging table of `spec`'s table: its columns, no constraints, emptied at each commit. */
function stageOf(spec: TableSpec): string {
  return `tributary_stage_${spec.table}`;
}

/**
 * The set-based write path (ADR 0016): the same monotonic upsert as `upsertRows`, for large runs.
 * `COPY` (text) into the session's staging table, then ONE `INSERT ... SELECT ... ON CONFLICT` with
 * the version guard, inside the caller's transaction: three round trips whatever the row count,
 * no parameters to bind, and PostgreSQL parses the COPY while the next rows are encoded. Same
 * arguments, same outcomes, same errors class for class (a value a column refuses is a data error
 * of the COPY or the INSERT, which the caller isolates: ADR 0010).
 */
export async function copyUpsertRows(
  db: PoolClient,
  spec: TableSpec,
  writes: readonly RowWrite[],
  options: UpsertOptions = {},
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  if (writes.length === 0) return outcomes;
  const columns = Object.keys(writes[0]!.row);
  const all = [...columns, ...WRITE_COLUMNS];
  const stage = stageOf(spec);
  const stageColumns = [...new Set([...spec.fields.map((f) => f.column), ...columns, ...WRITE_COLUMNS])];
  // IF NOT EXISTS every time: a savepoint or transaction rolled back may have taken the table with it.
  await db.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${stage} ON COMMIT DELETE ROWS AS SELECT ${stageColumns.join(', ')} FROM ${spec.table} WITH NO DATA;
     DELETE FROM ${stage}`,
  );
  const ahead = encodedAhead.get(writes);
  encodedAhead.delete(writes);
  await copyIn(db, `COPY ${stage} (${all.join(', ')}) FROM STDIN`, ahead ?? copyMessages(writes, columns));
  const firstSeen = new Set(spec.firstSeenColumns ?? []);
  const select = all.map((c) => (firstSeen.has(c) ? `COALESCE(s.${c}, now())` : `s.${c}`));
  let sql = `INSERT INTO ${spec.table} AS t (${all.join(', ')}) SELECT ${select.join(', ')} FROM ${stage} s
      ${onConflict(spec, all, options)}
      RETURNING ${spec.key}::text AS key, (xmax = 0) AS inserted`;
  if (options.sameContentIsUnchanged)
    sql = withSameContent(spec, sql, `${spec.key} IN (SELECT ${spec.key} FROM ${stage})`);
  const res = await whileRunning(db.query<UpsertedRow>(sql), options.whileUpserting);
  addOutcomes(outcomes, res.rows);
  // A row the upsert wrote was stamped by it (seenUpdates): only a run the version guard (or
  // insertOnly) left partly untouched needs the separate stamp, a join of the whole stage.
  if (res.rows.length < writes.length) await stampSeenFromStage(db, spec, stage);
  for (const w of writes) {
    const key = String(w.row[spec.key]);
    if (!outcomes.has(key)) outcomes.set(key, 'unchanged');
  }
  return outcomes;
}

/** COPY messages of runs encoded ahead of their write (encodeCopyAhead), by the run's writes array. */
const encodedAhead = new WeakMap<readonly RowWrite[], Buffer[]>();

/**
 * Makes the COPY messages of a run now, for `copyUpsertRows` of the same `writes` array to send as
 * they are: CPU work moved to a moment PostgreSQL is busy with something else (ADR 0023: while it
 * runs the previous chunk's upsert), so that the COPY itself is only PostgreSQL parsing.
 */
export function encodeCopyAhead(writes: readonly RowWrite[]): void {
  if (writes.length === 0 || encodedAhead.has(writes)) return;
  encodedAhead.set(writes, [...copyMessages(writes, Object.keys(writes[0]!.row))]);
}

/**
 * The CopyData messages of the writes (about 64 kB each), each made when the COPY pulls it: per
 * row, the columns, then WRITE_COLUMNS.
 */
function* copyMessages(writes: readonly RowWrite[], columns: readonly string[]): Generator<Buffer> {
  const values: unknown[] = new Array(columns.length + WRITE_COLUMNS.length);
  const writer = new CopyDataWriter();
  for (const w of writes) {
    for (let i = 0; i < columns.length; i++) values[i] = w.row[columns[i]!] ?? null;
    putWriteColumnValues(w, values, columns.length);
    writer.row(values);
    yield* writer.take();
  }
  yield* writer.finish();
}
