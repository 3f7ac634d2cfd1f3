import type { PoolClient } from 'pg';
import type { Outcome, RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';

export interface UpsertOptions {
  /** Insert rows that are absent, never touch a present one (e.g. a `created` event arriving late). */
  insertOnly?: boolean;
  /** Merge `raw_data` into the stored object instead of replacing it (partial records, e.g. webhooks). */
  mergeRawData?: boolean;
  /** See TableSpec.sameContentIsUnchanged. */
  sameContentIsUnchanged?: boolean;
}

/** Postgres allows 65535 parameters per statement. */
const MAX_PARAMS = 60_000;

/**
 * Multi-row `INSERT ... ON CONFLICT DO UPDATE`, monotonic: a row is replaced only by a strictly newer
 * version, or by the same version with different content. Returns each source id's outcome.
 * `writes` must hold at most one write per source id (the caller keeps the newest).
 */
export async function upsertRows(
  db: PoolClient,
  spec: TableSpec,
  writes: readonly RowWrite[],
  options: UpsertOptions = {},
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  if (writes.length === 0) return outcomes;
  const columns = Object.keys(writes[0]!.row);
  const all = [...columns, 'raw_data', 'version_at', 'last_sync_id'];
  const firstSeen = new Set(spec.firstSeenColumns ?? []);
  const perRow = all.length + 1;
  const chunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  for (let start = 0; start < writes.length; start += chunk) {
    const part = writes.slice(start, start + chunk);
    const params: unknown[] = [];
    const tuples = part.map((w) => {
      const slots = columns.map((c) => {
        params.push(w.row[c] ?? null);
        return firstSeen.has(c) ? `COALESCE($${params.length}::timestamptz, now())` : `$${params.length}`;
      });
      params.push(JSON.stringify(w.rawData), w.versionAt, w.syncId);
      const n = params.length;
      return `(${[...slots, `$${n - 2}::jsonb`, `$${n - 1}::timestamptz`, `$${n}`].join(', ')})`;
    });
    const raw = options.mergeRawData
      ? `CASE WHEN jsonb_typeof(t.raw_data) = 'object' AND jsonb_typeof(excluded.raw_data) = 'object'
           THEN t.raw_data || excluded.raw_data ELSE excluded.raw_data END`
      : 'excluded.raw_data';
    const updates = all
      .filter((c) => c !== spec.key)
      .map((c) =>
        c === 'raw_data'
          ? `raw_data = ${raw}`
          : firstSeen.has(c)
            ? `${c} = CASE WHEN excluded.raw_data ? 'createdAt' THEN excluded.${c} ELSE t.${c} END`
            : `${c} = excluded.${c}`,
      );
    const onConflict = options.insertOnly
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.join(', ')}, synced_at = now()
      WHERE t.version_at < excluded.version_at
         OR (t.version_at = excluded.version_at AND t.raw_data IS DISTINCT FROM ${raw})`;
    let sql = `INSERT INTO ${spec.table} AS t (${all.join(', ')}) VALUES ${tuples.join(', ')}
      ON CONFLICT (${spec.key}) ${onConflict}
      RETURNING ${spec.key}::text AS key, (xmax = 0) AS inserted`;
    if (options.sameContentIsUnchanged) {
      // Every CTE reads the snapshot from before the upsert: `old` holds the previous content.
      params.push(part.map((w) => w.row[spec.key]));
      sql = `WITH old AS (SELECT ${spec.key}::text AS key, raw_data FROM ${spec.table} WHERE ${spec.key} = ANY($${params.length}::${spec.keyType}[])),
        up AS (${sql}, raw_data)
        SELECT up.key, up.inserted, (old.raw_data IS NOT DISTINCT FROM up.raw_data) AS same FROM up LEFT JOIN old ON old.key = up.key`;
    }
    const res = await db.query<{ key: string; inserted: boolean; same?: boolean }>(sql, params);
    for (const r of res.rows) outcomes.set(r.key, r.inserted ? 'inserted' : r.same ? 'unchanged' : 'updated');
  }
  for (const w of writes) {
    const key = String(w.row[spec.key]);
    if (!outcomes.has(key)) outcomes.set(key, 'unchanged');
  }
  return outcomes;
}

/** Runs the table's link statements for the source ids just written. */
export async function applyLinks(db: PoolClient, spec: TableSpec, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  for (const sql of spec.links) {
    await db.query(sql, [keys]);
  }
}
