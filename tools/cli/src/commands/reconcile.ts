import { Option, type Command } from 'commander';
import type { Pool } from 'pg';
import { SOURCES, type Source } from '@tributary/contracts';
import { ValidationError } from '@tributary/core';
import { readModelCounter } from '@tributary/read-model';
import {
  backfillRequests,
  expectedDurationMs,
  planReport,
  runReconcile,
  WINDOW_SIZES,
  type ReconcilePlan,
  type SourceAccess,
  type ReconcileReport,
  type WindowSize,
} from '@tributary/sync';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';
import { backfillLine, planLines, reportTable } from '../reconcile/format';
import { requestBackfills, type BackfillRun } from '../reconcile/request-backfill';
import { confirm } from '../reconcile/cli-kafka';
import { reconcileDrift } from '../reconcile/drift';
import { sourceAccess } from '../reconcile/source-access';

interface ReconcileOptions {
  by: WindowSize;
  since?: string;
  entities?: string[];
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  backfill?: boolean;
  sample?: number;
  repair?: boolean;
}

const CONCURRENCY = 4;

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new CliExit(EXIT.usage, `--sample: ${value} is not a whole number`);
  return n;
}

function entityList(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

async function planFor(
  source: Source,
  opts: ReconcileOptions,
  access: SourceAccess,
  pool: Pool,
): Promise<ReconcilePlan> {
  try {
    return await planReport(
      source,
      { by: opts.by, since: opts.since, entities: opts.entities },
      { access, readModel: readModelCounter(pool), now: new Date() },
    );
  } catch (err) {
    if (err instanceof ValidationError) throw new CliExit(EXIT.usage, `--${err.message}`);
    throw err;
  }
}

/**
 * `tributary reconcile <source>`: the completeness report (issue 13). Per entity and per window the
 * source's own count (RepCard: `totalCount` of a `per_page=1` request per row; CuraGenesis: one walk
 * of the practices pages) against the read model's live rows; complete / gap / unknown per row. The
 * request cost is printed before anything is asked of the source; `--dry-run` stops there; on a
 * terminal it asks unless `--yes`. `--backfill` requests a sync of just the gap windows through the
 * normal command path, then reports again. Exit 0 complete, 3 a gap remains, 1 a backfill failed,
 * 2 bad options or configuration. `--sample N` makes it the drift report instead (`--repair` writes
 * the source's answers, ADR 0024; exit 3 while drift remains).
 */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description("completeness report: the source's counts against the read models, per entity and window")
    .addOption(
      new Option('--by <size>', 'one row per day or per month').choices([...WINDOW_SIZES]).default('month'),
    )
    .option('--since <date>', 'first window (YYYY-MM-DD or YYYY-MM; default 12 months or 30 days back)')
    .option('--entities <list>', 'only these entities (comma-separated)', entityList)
    .option('--dry-run', 'print the plan (requests, expected duration) and stop')
    .option('--yes', 'do not ask before spending the requests (never asked off a terminal)')
    .option('--backfill', 'request a sync of just the gap windows, then report again')
    .option(
      '--sample <n>',
      'drift report instead: N records per entity compared with the stored rows',
      wholeNumber,
    )
    .option('--repair', "with --sample: write the source's answer of each drifted record (a repair event)")
    .option('--json', 'print JSON instead of a table')
    .argument('<source>', `one of ${SOURCES.join(', ')}`)
    .action(async (source: string, opts: ReconcileOptions) => {
      if (!(SOURCES as readonly string[]).includes(source))
        throw new CliExit(EXIT.usage, `unknown source ${source}: one of ${SOURCES.join(', ')}`);
      if (opts.repair && opts.sample === undefined)
        throw new CliExit(EXIT.usage, '--repair needs --sample <n>');
      if (opts.sample !== undefined && opts.backfill)
        throw new CliExit(EXIT.usage, '--backfill is for the completeness report, not --sample');
      if (opts.sample !== undefined) {
        const access = sourceAccess(source as Source);
        try {
          process.exitCode = await reconcileDrift(source as Source, { ...opts, sample: opts.sample }, access);
        } finally {
          access.client.shutdown();
        }
        return;
      }
      process.exitCode = await reconcile(source as Source, opts);
    });
}

async function reconcile(source: Source, opts: ReconcileOptions): Promise<number> {
  const access = sourceAccess(source);
  const say = (line: string) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    return await withReadModels(async (pool) => {
      const plan = await planFor(source, opts, access, pool);
      const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
      const durationMs = expectedDurationMs(plan.requests, budget, 150, CONCURRENCY);
      const cost = {
        requests: plan.requests,
        estimated: plan.estimated,
        expectedSeconds: Math.ceil(durationMs / 1000),
      };
      if (opts.dryRun) {
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ plan: { ...cost, checks: plan.checks } }, null, 2)}\n`);
        else say(planLines(plan, durationMs, access));
        return EXIT.ok;
      }
      say(planLines(plan, durationMs, access));
      if (access.demo) say('(no API key set: asking the simulator of `npm start`)');
      if (!opts.yes && process.stdin.isTTY && process.stdout.isTTY && !(await confirm('Run it? [y/N] ')))
        throw new CliExit(EXIT.failed, 'not run');
      const run = () =>
        runReconcile(plan, {
          client: access.client,
          readModel: readModelCounter(pool),
          now: () => new Date(),
          concurrency: CONCURRENCY,
          pageSize: access.curagenesis.pageSize,
        });
      const before = await run();
      if (!opts.json) say(reportTable(before));
      let runs: BackfillRun[] = [];
      let after: ReconcileReport | undefined;
      const requests = opts.backfill && before.verdict === 'gap' ? backfillRequests(before) : [];
      if (requests.length > 0) {
        say('');
        for (const r of requests) say(backfillLine(r));
        runs = await requestBackfills(pool, source, requests, say);
        if (runs.every((r) => r.status === 'completed')) {
          say('\nchecking again:');
          after = await run();
          if (!opts.json) say(reportTable(after));
        }
      }
      if (opts.json) {
        const out = {
          plan: cost,
          report: before,
          ...(opts.backfill ? { backfill: { runs, report: after ?? null } } : {}),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (runs.some((r) => r.status !== 'completed')) return EXIT.failed;
      return (after ?? before).verdict === 'gap' ? EXIT.gap : EXIT.ok;
    });
  } finally {
    access.client.shutdown();
  }
}
