import type { Pool } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a read-model identifier: ${JSON.stringify(name)}`);
  return name;
}

/**
 * Counts the live rows of a read-model table (its `<table>_live` view: rows not marked deleted),
 * those whose `column` is in [from, to) (UTC days) when a range is given. The completeness report's
 * read-model side (libs/sync reconcile: ReadModelCounter). Table and column names come from the
 * report's fixed targets, never from a caller; they are checked all the same.
 */
export function readModelCounter(pool: Pool): {
  count(table: string, range: { column: string; from: string; to: string } | null): Promise<number>;
} {
  return {
    async count(table, range) {
      const view = `${identifier(table)}_live`;
      const res = range
        ? await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${view}
             WHERE ${identifier(range.column)} >= ($1::date::timestamp AT TIME ZONE 'UTC')
               AND ${identifier(range.column)} < ($2::date::timestamp AT TIME ZONE 'UTC')`,
            [range.from, range.to],
          )
        : await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${view}`);
      return Number(res.rows[0]?.n ?? 0);
    },
  };
}
