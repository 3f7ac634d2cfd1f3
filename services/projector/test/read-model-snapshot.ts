import type { Pool, QueryResultRow } from 'pg';

/** What a reader sees of the RepCard customers: every row without its local id and write time, by source id. */
export const CUSTOMER_ROWS = `SELECT to_jsonb(c) - 'id' - 'synced_at' AS r FROM repcard_customers c ORDER BY repcard_customer_id`;

/** The tallies of every sync-log row, by run and entity. */
export const SYNC_LOG_TALLIES = `SELECT sync_id, entity_type, records_inserted, records_updated, records_unchanged, records_failed
       FROM sync_log ORDER BY sync_id, entity_type`;

/**
 * The read model as these queries see it (asked one after the other), by name: two databases that
 * received the same batches by two paths are compared by their snapshots.
 */
export async function readModelSnapshot<K extends string>(
  pool: Pool,
  queries: Record<K, string>,
): Promise<Record<K, QueryResultRow[]>> {
  const out = {} as Record<K, QueryResultRow[]>;
  for (const name of Object.keys(queries) as K[]) out[name] = (await pool.query(queries[name])).rows;
  return out;
}
