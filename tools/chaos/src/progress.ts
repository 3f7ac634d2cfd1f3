import type { Pool } from 'pg';
import { waitFor } from '@tributary/testkit';

/** Pages the projector has accounted for in a run (all entities), 0 before the run shows up. */
export async function pagesProjected(pool: Pool, syncId: string): Promise<number> {
  const r = await pool.query<{ pages: number }>(
    `SELECT coalesce(sum(pages), 0)::int AS pages FROM sync_log WHERE sync_id = $1`,
    [syncId],
  );
  return r.rows[0]?.pages ?? 0;
}

/** Waits until at least `pages` pages of the run are in the sync log: the fault then lands mid-sync. */
export async function waitForPages(
  pool: Pool,
  syncId: string,
  pages: number,
  timeoutMs = 300_000,
): Promise<void> {
  await waitFor(async () => (await pagesProjected(pool, syncId)) >= pages, {
    timeoutMs,
    intervalMs: 500,
    description: `${pages} pages of sync ${syncId} projected`,
  });
}
