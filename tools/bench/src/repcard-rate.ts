import { runCli, startPipeline, syncIdOf } from '../../../libs/testkit/src/repcard-pipeline';

/**
 * Full-sync wall time of the ingest against the rate-limit bound: pages ÷ allowed request rate,
 * with a simulated API latency of 300 ms. Target (issue 14): at most 1.03 × the bound.
 */
export async function benchRateBound(opts: {
  size: number;
  limit: number;
  periodMs: number;
  latencyMs: number;
}) {
  const p = await startPipeline(
    {
      seed: 7,
      size: opts.size,
      rateLimit: opts.limit,
      ratePeriodMs: opts.periodMs,
      latencyMs: opts.latencyMs,
    },
    { REPCARD_RATE_LIMIT: String(opts.limit), REPCARD_RATE_PERIOD_MS: String(opts.periodMs) },
  );
  try {
    const res = await runCli(p, [], 3_600_000);
    if (res.code !== 0) throw new Error(`sync failed:\n${res.stdout}\n${res.stderr}`);
    const syncId = syncIdOf(res.stdout);
    const run = await p.pool.query<{ secs: number }>(
      `SELECT extract(epoch FROM ingest_completed_at - started_at)::float AS secs FROM sync_runs WHERE sync_id = $1`,
      [syncId],
    );
    const requests = p.sim.stats().totalRequests;
    const boundSecs = requests / (opts.limit / (opts.periodMs / 1000));
    const secs = run.rows[0]!.secs;
    return {
      records: opts.size,
      requests,
      'rate limit': `${opts.limit}/${opts.periodMs / 1000}s`,
      latency: `${opts.latencyMs} ms`,
      'bound (s)': boundSecs.toFixed(1),
      'wall (s)': secs.toFixed(1),
      'wall/bound': (secs / boundSecs).toFixed(3),
      target: '<= 1.03',
      violations: p.sim.stats().rateLimitViolations,
    };
  } finally {
    await p.close();
  }
}
