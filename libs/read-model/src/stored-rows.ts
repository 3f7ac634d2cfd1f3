import type { Pool } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a read-model identifier: ${JSON.stringify(name)}`);
  return name;
}

/** A stored entity row as the drift report compares it (libs/sync reconcile: StoredRow). */
export interface StoredEntityRow {
  id: string;
  rawData: unknown;
  versionAt: string | null;
  deletedAt: string | null;
  observedVia: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Reads the stored rows of `ids` (source ids, as text) from an entity table, deleted ones included,
 * and counts its rows (the drift sample's page range). Table and key names come from the report's
 * fixed targets; they are checked all the same.
 */
export function storedRowReader(pool: Pool): {
  rows(
    table: string,
    key: { column: string; type: 'bigint' | 'text' },
    ids: readonly string[],
  ): Promise<Map<string, StoredEntityRow>>;
  count(table: string): Promise<number>;
} {
  return {
    async rows(table, key, ids) {
      const type = key.type === 'bigint' ? 'bigint' : 'text';
      // A bigint key compared as bigint (its index); ids that are no integer cannot match it.
      const wanted = type === 'bigint' ? ids.filter((id) => /^-?\d{1,18}$/.test(id)) : ids;
      const res = await pool.query<{
        id: string;
        raw_data: unknown;
        version_at: Date | null;
        deleted_at: Date | null;
        observed_via: string | null;
      }>(
        `SELECT ${identifier(key.column)}::text AS id, raw_data, version_at, deleted_at, _observed_via AS observed_via
         FROM ${identifier(table)} WHERE ${identifier(key.column)} = ANY($1::${type}[])`,
        [wanted],
      );
      return new Map(
        res.rows.map((r) => [
          r.id,
          {
            id: r.id,
            rawData: r.raw_data,
            versionAt: iso(r.version_at),
            deletedAt: iso(r.deleted_at),
            observedVia: r.observed_via,
          },
        ]),
      );
    },
    async count(table) {
      const res = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${identifier(table)}`);
      return Number(res.rows[0]?.n ?? 0);
    },
  };
}
