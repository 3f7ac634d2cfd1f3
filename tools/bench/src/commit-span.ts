import type { Pool } from 'pg';
import { pollUntil } from './poll';

/**
 * How fast a writer in another process stored rows, from the first row committed to the last: waits
 * until `n` rows of `table` match `where` (`$1` is `whereParam`), then reads the commit time of each
 * row's transaction (`track_commit_timestamp`, which the stack launcher turns on). Rate = rows after
 * the first commit ÷ (last commit − first commit), so it counts neither start-up nor the wait for
 * the first row. `check`, called at each poll, may throw to give up early (the writer failed).
 */
export async function commitSpanRate(
  pool: Pool,
  opts: {
    table: string;
    n: number;
    where?: string;
    whereParam?: unknown;
    timeoutMs: number;
    label: string;
    check?: () => Promise<void>;
  },
): Promise<{ rowsPerSec: number; secs: number }> {
  const where = opts.where ?? 'true';
  const params = opts.where ? [opts.whereParam] : [];
  const on = await pool.query<{ on: string }>(`SELECT current_setting('track_commit_timestamp') AS on`);
  if (on.rows[0]!.on !== 'on')
    throw new Error(
      'track_commit_timestamp is off: start PostgreSQL with the stack launcher (npm run stack:up)',
    );
  const exact = async (): Promise<number> => {
    // The table may not exist yet (the projector makes it when it starts).
    const count = await pool
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${opts.table} WHERE ${where}`, params)
      .catch(() => undefined);
    return count?.rows[0]!.n ?? 0;
  };
  // The exact count scans the whole table: at 1M rows on the update path (1M live and up to 1M dead
  // tuples, ~2 GB) one scan took a good part of a core, every 500 ms, on the machine the writer ran
  // on. So it runs only once PostgreSQL's own statistics say the writes may be done, or have not
  // moved for 3 s (they reach the statistics up to ~10 s late), and then no more often
  // than every four times its own duration.
  const written0 = await writesCounted(pool, opts.table);
  let lastWritten = -1;
  let movedAt = Date.now();
  let nextExactAt = 0;
  await pollUntil(
    async () => {
      await opts.check?.();
      const written = (await writesCounted(pool, opts.table)) - written0;
      if (written !== lastWritten) movedAt = Date.now();
      lastWritten = written;
      const still = Date.now() - movedAt >= 3000;
      if ((written < opts.n && !still) || Date.now() < nextExactAt) return false;
      const t = Date.now();
      const n = await exact();
      nextExactAt = Date.now() + 4 * (Date.now() - t);
      return n >= opts.n;
    },
    { timeoutMs: opts.timeoutMs, intervalMs: 500, description: `${opts.n} rows written by ${opts.label}` },
  );
  const span = await pool.query<{ secs: number; first: number }>(
    `WITH c AS (SELECT pg_xact_commit_timestamp(xmin) AS ts FROM ${opts.table} WHERE ${where})
     SELECT extract(epoch FROM max(ts) - min(ts))::float AS secs,
            count(*) FILTER (WHERE ts = (SELECT min(ts) FROM c))::int AS first
     FROM c`,
    params,
  );
  const { secs, first } = span.rows[0]!;
  if (!(secs > 0)) throw new Error(`${opts.label} committed every row at once: no rate to measure`);
  return { rowsPerSec: (opts.n - first) / secs, secs };
}

/** Rows inserted and updated in `table` so far, from PostgreSQL's cumulative statistics (cheap, may lag). */
async function writesCounted(pool: Pool, table: string): Promise<number> {
  const res = await pool.query<{ n: string | null }>(
    `SELECT (n_tup_ins + n_tup_upd)::text AS n FROM pg_stat_user_tables WHERE relid = to_regclass($1)`,
    [table],
  );
  return Number(res.rows[0]?.n ?? 0);
}
