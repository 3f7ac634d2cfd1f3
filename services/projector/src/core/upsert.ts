import type { PoolClient } from 'pg';
import { queryTogether } from './query-together';
import type { Outcome, RowWrite } from './row-changes';
import type { TableSpec } from './table-spec';
import { stampSeen } from './seen-stamp';
import {
  addOutcomes,
  onConflict,
  whileRunning,
  type UpsertedRow,
  withSameContent,
  WRITE_COLUMN_TYPES,
  WRITE_COLUMNS,
  writeColumnValues,
  type UpsertOptions,
} from './upsert-sql';

export type { UpsertOptions } from './upsert-sql';

/** Postgres allows 65535 parameters per statement. */
const MAX_PARAMS = 60_000;

/**
 * Multi-row `INSERT ... ON CONFLICT DO UPDATE`, monotonic: a row is replaced only by a strictly newer
 * version, or by the same version with different content. Returns each source id's outcome. A row
 * the guard leaves unchanged is still stamped as seen (stampSeen: deletion detection, ADR 0018).
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
  const all = [...columns, ...WRITE_COLUMNS];
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
      const extra = writeColumnValues(w).map((v, i) => {
        params.push(v);
        return `$${params.length}::${WRITE_COLUMN_TYPES[i]!}`;
      });
      return `(${[...slots, ...extra].join(', ')})`;
    });
    let sql = `INSERT INTO ${spec.table} AS t (${all.join(', ')}) VALUES ${tuples.join(', ')}
      ${onConflict(spec, all, options)}
      RETURNING ${spec.key}::text AS key, (xmax = 0) AS inserted`;
    if (options.sameContentIsUnchanged) {
      params.push(part.map((w) => w.row[spec.key]));
      sql = withSameContent(spec, sql, `${spec.key} = ANY($${params.length}::${spec.keyType}[])`);
    }
    const sent = db.query<UpsertedRow>(sql, params);
    const res = await whileRunning(sent, start === 0 ? options.whileUpserting : undefined);
    addOutcomes(outcomes, res.rows);
  }
  for (const w of writes) {
    const key = String(w.row[spec.key]);
    if (!outcomes.has(key)) outcomes.set(key, 'unchanged');
  }
  await stampSeen(
    db,
    spec,
    writes.filter((w) => outcomes.get(String(w.row[spec.key])) === 'unchanged'),
  );
  return outcomes;
}

/** Runs the table's link statements for the source ids just written. */
export async function applyLinks(db: PoolClient, spec: TableSpec, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  // In order, each seeing the one before, in one round trip.
  await queryTogether(
    db,
    spec.links.map((text) => ({ text, values: [keys] })),
  );
}
