import { waitFor } from '@tributary/testkit';
import { runCli, startPipeline, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// One budget per API key served by priority (issue 13 item 5, ADR 0026): a "Sync Now" requested
// while a long backfill runs starts beside it (the command look-ahead) and its requests win the
// shared budget, so it finishes first. The simulator's rate limit keeps the backfill long.
const BACKFILL_SKIPS = ['--skip-users', '--skip-offices'];
const SYNC_NOW_SKIPS = [
  '--skip-customers',
  '--skip-appointments',
  '--skip-status-logs',
  '--skip-attachments',
];

async function runs(p: Pipeline): Promise<{ sync_id: string; status: string; completed_at: Date | null }[]> {
  const { rows } = await p.pool.query<{ sync_id: string; status: string; completed_at: Date | null }>(
    `SELECT sync_id, status, completed_at FROM sync_runs ORDER BY started_at`,
  );
  return rows;
}

describe('one budget per API key, by priority', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when Sync Now is pressed while a backfill runs, then the Sync Now finishes first and both complete', async () => {
    p = await startPipeline({ seed: 77, size: 30_000, rateLimit: 5, ratePeriodMs: 1000 });
    const today = new Date().toISOString().slice(0, 10);
    const backfill = runCli(p, ['--start-date', '2015-01-01', '--end-date', today, ...BACKFILL_SKIPS]);
    await waitFor(
      async () => {
        const { rows } = await p.pool.query<{ pages: number }>(
          `SELECT coalesce(sum(pages), 0)::int AS pages FROM sync_log`,
        );
        return rows[0]!.pages >= 10 ? true : undefined;
      },
      { timeoutMs: 120_000, description: 'ten pages of the backfill' },
    );
    const syncNow = await runCli(p, SYNC_NOW_SKIPS);
    expect(syncNow.code).toBe(0);
    expect(p.ingest.lines.join('\n')).toContain('sync.preempted');
    const whenSyncNowEnded = await runs(p);
    expect(whenSyncNowEnded).toHaveLength(2);
    const [back, now] = whenSyncNowEnded;
    expect(now).toMatchObject({ status: 'completed' });
    expect(back).toMatchObject({ status: 'running' });

    const done = await backfill;
    expect(done.code).toBe(0);
    const [backAfter, nowAfter] = await runs(p);
    expect(backAfter).toMatchObject({ status: 'completed' });
    expect(nowAfter!.completed_at!.getTime()).toBeLessThan(backAfter!.completed_at!.getTime());
  }, 600_000);
});
