import type { Pool } from 'pg';

/**
 * Brings a table just bulk-filled to the state an update pass should start from, the same for every
 * writer compared: `VACUUM (ANALYZE)` it (what an operator runs after a bulk load; it also takes
 * over an autovacuum of it in progress), then wait until no vacuum runs anywhere in this PostgreSQL.
 * Without it, the insert-triggered autovacuum of a table of a million fresh rows (PostgreSQL 13+'s
 * `autovacuum_vacuum_insert_threshold`: 125,000 pages, ~27 s here) lands on whichever pass runs
 * next: measured in ADR 0023 addendum 7, it overlapped the projector's update pass and not the
 * ceiling's, which starts right after its own fill. Not timed. Returns the seconds it took.
 */
export async function settleTable(pool: Pool, table: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  await pool.query(`VACUUM (ANALYZE) ${table}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_progress_vacuum');
    if (Number(rows[0]!.n) === 0) break;
    if (Date.now() > deadline) throw new Error(`a vacuum was still running after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const secs = (performance.now() - started) / 1000;
  console.log(
    `[bench]   ${table} vacuumed and analyzed before the update pass (${secs.toFixed(1)} s, not timed)`,
  );
  return secs;
}
