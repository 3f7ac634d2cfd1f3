import { runCli, startPipeline } from '../../../libs/testkit/src/repcard-pipeline';
import { peakRssMiB } from './rss';

/** Peak RSS of ingest-repcard and the projector during a full sync of `size` records. */
export async function benchMemory(size: number) {
  const p = await startPipeline(
    { seed: 13, size, rateLimit: 1_000_000, ratePeriodMs: 60_000 },
    { REPCARD_PER_PAGE: '250' },
  );
  let ingestPeak = 0;
  let projectorPeak = 0;
  const sample = setInterval(() => {
    ingestPeak = Math.max(ingestPeak, peakRssMiB(p.ingest.process.pid) ?? 0);
    projectorPeak = Math.max(projectorPeak, peakRssMiB(p.projector.process.pid) ?? 0);
  }, 500);
  const t = performance.now();
  try {
    const res = await runCli(p, ['--no-wait']);
    if (res.code !== 0) throw new Error(res.stderr);
    await waitForRun(p, res.stdout);
    return {
      records: size,
      'sync (s)': ((performance.now() - t) / 1000).toFixed(0),
      'ingest-repcard peak RSS (MiB)': ingestPeak.toFixed(0),
      'projector peak RSS (MiB)': projectorPeak.toFixed(0),
    };
  } finally {
    clearInterval(sample);
    await p.close();
  }
}

async function waitForRun(p: Awaited<ReturnType<typeof startPipeline>>, out: string): Promise<void> {
  const syncId = /sync requested: ([0-9a-f-]{36})/.exec(out)![1];
  for (;;) {
    const r = await p.pool
      .query(`SELECT status FROM sync_runs WHERE sync_id = $1`, [syncId])
      .catch(() => ({ rows: [] as { status: string }[] }));
    const status = r.rows[0]?.status;
    if (status && status !== 'running') {
      if (status !== 'completed') throw new Error(`sync ended ${status}`);
      return;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
}
