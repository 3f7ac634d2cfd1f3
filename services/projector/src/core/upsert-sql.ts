import { LINEAGE_COLUMNS, putLineageValues } from './lineage';
import type { Outcome, RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';

export interface UpsertOptions {
  /** Insert rows that are absent, never touch a present one (e.g. a `created` event arriving late). */
  insertOnly?: boolean;
  /** Merge `raw_data` into the stored object instead of replacing it (partial records, e.g. webhooks). */
  mergeRawData?: boolean;
  /** See TableSpec.sameContentIsUnchanged. */
  sameContentIsUnchanged?: boolean;
  /**
   * Called once the upsert statement was sent, before its answer is awaited: CPU work (the next
   * chunk's plan) done while PostgreSQL runs it (ADR 0023). Must not use the connection.
   */
  whileUpserting?: () => void;
}

/**
 * The columns every write carries after its row's: what the upsert stores besides the fields: the
 * record, its version, its sync run, when it was last seen (deletion detection) and its lineage
 * (ADR 0018).
 */
export const WRITE_COLUMNS = [
  'raw_data',
  'version_at',
  'last_sync_id',
  'last_seen_at',
  ...LINEAGE_COLUMNS,
] as const;

/** The PostgreSQL type of each of WRITE_COLUMNS (the multi-row upsert casts its parameters to them). */
export const WRITE_COLUMN_TYPES: readonly string[] = [
  'jsonb',
  'timestamptz',
  'text',
  'timestamptz',
  'text',
  'integer',
  'bigint',
  'text',
  'timestamptz',
];

/** A write's values of WRITE_COLUMNS, in order (`raw_data` as JSON text). */
export function writeColumnValues(w: RowWrite): unknown[] {
  const values: unknown[] = new Array(WRITE_COLUMNS.length);
  putWriteColumnValues(w, values, 0);
  return values;
}

/** The same values written into `values` from index `at` (the COPY path reuses one array for every row). */
export function putWriteColumnValues(w: RowWrite, values: unknown[], at: number): void {
  values[at] = JSON.stringify(w.rawData);
  values[at + 1] = w.versionAt;
  values[at + 2] = w.syncId;
  values[at + 3] = w.seenAt ?? w.observedAt;
  putLineageValues(w.lineage, values, at + 4);
}

/** A row observed at `seen` (SQL) is live again when that is no earlier than its deletion (ADR 0018). */
const revived = (seen: string): string => `t.deleted_at <= ${seen}`;

/** SET clauses that move `last_seen_at` on to `seen` and undelete a row seen since its deletion. */
export function seenUpdates(seen: string): string {
  return `last_seen_at = GREATEST(t.last_seen_at, ${seen}),
      deleted_at = CASE WHEN ${revived(seen)} THEN NULL ELSE t.deleted_at END,
      deleted_by_sync_id = CASE WHEN ${revived(seen)} THEN NULL ELSE t.deleted_by_sync_id END`;
}

/** Whether a row needs `seenUpdates(seen)`: seen later than it was, or seen since its deletion. */
export function needsSeen(seen: string): string {
  return `(t.last_seen_at IS NULL OR t.last_seen_at < ${seen} OR ${revived(seen)})`;
}

/**
 * The `ON CONFLICT` clause of the monotonic upsert, shared by both write paths (upsert.ts: multi-row
 * VALUES; copy-upsert.ts: COPY into a staging table): a row is replaced only by a strictly newer
 * version, or by the same version with different content; `insertOnly` never touches a present row.
 */
export function onConflict(spec: TableSpec, all: readonly string[], options: UpsertOptions): string {
  const firstSeen = new Set(spec.firstSeenColumns ?? []);
  const raw = options.mergeRawData
    ? `CASE WHEN jsonb_typeof(t.raw_data) = 'object' AND jsonb_typeof(excluded.raw_data) = 'object'
           THEN t.raw_data || excluded.raw_data ELSE excluded.raw_data END`
    : 'excluded.raw_data';
  const updates = all
    .filter((c) => c !== spec.key)
    .map((c) =>
      c === 'raw_data'
        ? `raw_data = ${raw}`
        : c === 'last_seen_at'
          ? seenUpdates('excluded.last_seen_at')
          : firstSeen.has(c)
            ? `${c} = CASE WHEN excluded.raw_data ? 'createdAt' THEN excluded.${c} ELSE t.${c} END`
            : `${c} = excluded.${c}`,
    );
  return options.insertOnly
    ? `ON CONFLICT (${spec.key}) DO NOTHING`
    : `ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(', ')}, synced_at = now()
      WHERE t.version_at < excluded.version_at
         OR (t.version_at = excluded.version_at AND t.raw_data IS DISTINCT FROM ${raw})`;
}

/**
 * Wraps an upsert (`INSERT ... RETURNING key, inserted`) so that it also says whether a row it
 * touched kept its content (TableSpec.sameContentIsUnchanged). `written` selects the rows of the
 * source ids being written; every CTE reads the snapshot from before the upsert, so `old` holds the previous content.
 */
export function withSameContent(spec: TableSpec, upsert: string, written: string): string {
  return `WITH old AS (SELECT ${spec.key}::text AS key, raw_data FROM ${spec.table} WHERE ${written}),
        up AS (${upsert}, raw_data)
        SELECT up.key, up.inserted, (old.raw_data IS NOT DISTINCT FROM up.raw_data) AS same FROM up LEFT JOIN old ON old.key = up.key`;
}

/** A row an upsert returns: its source id, whether it was inserted, and (sameContentIsUnchanged) kept its content. */
export interface UpsertedRow {
  key: string;
  inserted: boolean;
  same?: boolean;
}

/**
 * Awaits a statement already sent, running `work` (CPU only) meanwhile: PostgreSQL executes while
 * node computes. The statement's answer is always awaited (a failure of both: the statement's error).
 */
export async function whileRunning<T>(sent: Promise<T>, work?: () => void): Promise<T> {
  let failure: { error: unknown } | undefined;
  try {
    work?.();
  } catch (error) {
    failure = { error };
  }
  const result = await sent;
  if (failure) throw failure.error;
  return result;
}

/** Each returned row's outcome by source id; a written key the statement did not return is unchanged. */
export function addOutcomes(outcomes: Map<string, Outcome>, rows: readonly UpsertedRow[]): void {
  for (const r of rows) outcomes.set(r.key, r.inserted ? 'inserted' : r.same ? 'unchanged' : 'updated');
}
