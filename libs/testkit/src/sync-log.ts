import type { Pool } from 'pg';

export interface SyncLogRow {
  entity_type: string;
  status: string;
  records_fetched: number | null;
  records_inserted: number;
  records_updated: number;
  records_unchanged: number;
  records_failed: number;
  error_message: string | null;
}

/** One run's rows of a source's sync-log view (`repcard_sync_log`, `curagenesis_sync_log`). */
export async function syncLogRows(
  pool: Pool,
  view: 'repcard_sync_log' | 'curagenesis_sync_log',
  syncId: string,
): Promise<SyncLogRow[]> {
  const res = await pool.query<SyncLogRow>(
    `SELECT entity_type, status, records_fetched, records_inserted, records_updated, records_unchanged, records_failed, error_message
      FROM ${view} WHERE sync_id = $1`,
    [syncId],
  );
  return res.rows;
}
