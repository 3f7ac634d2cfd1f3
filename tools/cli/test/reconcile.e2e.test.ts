import { addDays, isoDay } from '@tributary/core';
import type { ReconcileReport } from '@tributary/sync';
import {
  runCli,
  runTributary,
  startPipeline,
  type Pipeline,
} from '../../../libs/testkit/src/repcard-pipeline';

// The completeness report against the real pipeline (simulator → ingest-repcard → Kafka →
// projector → PostgreSQL): complete after a full sync, a planted gap named by its day, closed by a
// backfill of just that day through the normal sync command path.
let p: Pipeline;

const tributary = (args: string[]) => runTributary(p, args);

interface JsonAnswer {
  plan: { requests: number; estimated: boolean; expectedSeconds: number };
  report: ReconcileReport;
  backfill?: { runs: { syncId: string; status: string; request: unknown }[]; report: ReconcileReport | null };
}

const nonComplete = (report: ReconcileReport) =>
  report.rows.filter((r) => r.verdict !== 'complete').map((r) => `${r.entity} ${r.window} ${r.verdict}`);

beforeAll(async () => {
  p = await startPipeline({ seed: 313, size: 3_000, rateLimit: 100_000, ratePeriodMs: 60_000 });
  const sync = await runCli(p, []);
  expect(sync.code).toBe(0);
});
afterAll(async () => {
  await p?.close();
});

it('when the report runs after a full sync, then every entity and every month is complete and it exits 0', async () => {
  const since = addDays(isoDay(new Date()), -800);
  const dry = await tributary(['reconcile', 'repcard', '--since', since, '--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(
    /^repcard by month since \d{4}-\d{2}-\d{2}: \d+ checks, \d+ windows\ncost: \d+ requests, about \d+ s at 100000 per 1 min\n$/,
  );

  const res = await tributary(['reconcile', 'repcard', '--since', since, '--json']);
  expect(res.code).toBe(0);
  const answer = JSON.parse(res.stdout) as JsonAnswer;
  expect(answer.report.verdict).toBe('complete');
  expect(nonComplete(answer.report)).toEqual([]);
  expect(answer.report.requests).toBe(answer.plan.requests);
  const months = answer.report.rows.filter((r) => r.entity === 'status_logs' && r.window !== 'all');
  expect(months.length).toBeGreaterThanOrEqual(26);
  expect(months.reduce((n, r) => n + r.readModel, 0)).toBeGreaterThan(0);

  const table = await tributary(['reconcile', 'repcard', '--since', since]);
  expect(table.code).toBe(0);
  for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
});

it('when the status logs of one day are deleted from the read model, then the day report names that day a gap (exit 3) and --backfill closes it', async () => {
  const busiest = await p.pool.query<{ day: string; n: string }>(
    `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n FROM repcard_status_logs
     WHERE updated_at > now() - interval '60 days' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
  );
  const day = busiest.rows[0]!.day;
  const deleted = await p.pool.query(
    `DELETE FROM repcard_status_logs
     WHERE updated_at >= ($1::date::timestamp AT TIME ZONE 'UTC') AND updated_at < ($1::date::timestamp AT TIME ZONE 'UTC') + interval '1 day'`,
    [day],
  );
  expect(deleted.rowCount).toBeGreaterThan(0);
  const since = addDays(day, -3);
  const args = [
    'reconcile',
    'repcard',
    '--by',
    'day',
    '--since',
    since,
    '--entities',
    'status_logs,customers',
  ];

  const gap = await tributary([...args, '--json']);
  expect(gap.code).toBe(3);
  const report = (JSON.parse(gap.stdout) as JsonAnswer).report;
  expect(report.verdict).toBe('gap');
  expect(nonComplete(report)).toEqual([`status_logs all gap`, `status_logs ${day} gap`]);
  expect(report.rows.find((r) => r.window === day && r.entity === 'status_logs')!.missing).toBe(
    deleted.rowCount,
  );

  const table = await tributary(args);
  expect(table.code).toBe(3);
  expect(table.stdout).toMatch(
    new RegExp(`status_logs\\s+${day}\\s+\\d+\\s+0\\s+gap \\(${deleted.rowCount} missing\\)`),
  );

  const fixed = await tributary([...args, '--backfill', '--json']);
  expect(fixed.stderr).toMatch(new RegExp(`backfill status_logs: ${day} \\.\\. ${day}`));
  expect(fixed.code).toBe(0);
  const answer = JSON.parse(fixed.stdout) as JsonAnswer;
  expect(answer.backfill!.runs).toEqual([
    expect.objectContaining({
      status: 'completed',
      request: { entities: ['status_logs'], from: day, to: day },
    }),
  ]);
  expect(answer.backfill!.report!.verdict).toBe('complete');
  expect(nonComplete(answer.backfill!.report!)).toEqual([]);
  const run = await p.pool.query<{ entities: string[]; sync_type: string }>(
    `SELECT entities, sync_type FROM sync_runs WHERE sync_id = $1`,
    [answer.backfill!.runs[0]!.syncId],
  );
  expect(run.rows[0]).toEqual({ entities: ['status_logs'], sync_type: 'full' });
});
