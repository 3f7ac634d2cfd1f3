import type { Pool } from 'pg';
import { pollUntil } from './poll';

/**
 * Brings a table just bulk-filled to the state an update pass should start from, the same for every
 * writer compared: `VACUUM (ANALYZE)` it (what an operator runs after a bulk load; it also takes
 * over an autovacuum of it in progress), then wait until no vacuum runs anywhere in this PostgreSQL.
 * Without it, the insert-triggered autovacuum of a table of a million fresh rows (PostgreSQL 13+'s
 * `autovacuum_vacuum_insert_threshold`: 125,000 pages, ~27 s here) lands on whichever pass runs
 * next: measured in ADR 0023 addendum 7, it overlapped the projector's update pass and not the
 * ceiling's, which starts right after its own fill. Not timed.
 */
export async function settleTable(pool: Pool, table: string, timeoutMs = 300_000): Promise<void> {
  const started = performance.now();
  await pool.query(`VACUUM (ANALYZE) ${table}`);
  await pollUntil(
    async () => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_progress_vacuum');
      return Number(rows[0]!.n) === 0;
    },
    { timeoutMs, intervalMs: 500, description: 'the vacuums running in this PostgreSQL to end' },
  );
  const secs = (performance.now() - started) / 1000;
  console.log(
    `[bench]   ${table} vacuumed and analyzed before the update pass (${secs.toFixed(1)} s, not timed)`,
  );
}
