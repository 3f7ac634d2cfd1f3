import { Option, type Command } from 'commander';
import { SOURCES, type Source } from '@tributary/contracts';
import { getRun, listRuns, runTotals, type RunStatus } from '@tributary/read-model';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';
import { summaryTable } from '../report';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliExit(EXIT.usage, `--limit: ${value} is not a whole number from 1 to 1000`);
  return n;
}

/** One run as one line of at most 80 columns. */
export function runLine(run: RunStatus): string {
  const t = runTotals(run);
  const when = run.startedAt.slice(5, 16).replace('T', ' ');
  return `${run.syncId.slice(0, 8)}  ${run.source.padEnd(11)} ${run.syncType.padEnd(11)} ${run.status.padEnd(21)} ${when}  ${t.fetched}`;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('the latest sync runs, newest first')
    .addOption(new Option('--source <source>', 'only this source').choices([...SOURCES]))
    .option('--limit <n>', 'how many runs per source (1-1000)', positiveInt, 20)
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { source?: Source; limit: number; json?: boolean }) => {
      const sources = opts.source ? [opts.source] : [...SOURCES];
      const runs = await withReadModels(async (pool) =>
        (await Promise.all(sources.map((s) => listRuns(pool, s, opts.limit)))).flat(),
      );
      runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        process.stdout.write('no sync runs yet\n');
        return;
      }
      process.stdout.write(
        `${'id'.padEnd(8)}  ${'source'.padEnd(11)} ${'type'.padEnd(11)} ${'status'.padEnd(21)} ${'started UTC'.padEnd(11)}  fetched\n`,
      );
      for (const run of runs) process.stdout.write(`${runLine(run)}\n`);
    });

  program
    .command('run')
    .description("one run's detail: each entity's counts, duration and error")
    .argument('<sync-id>', 'the run id (as `tributary runs --json` or the dashboard show it)')
    .option('--json', 'print JSON instead of a table')
    .action(async (syncId: string, opts: { json?: boolean }) => {
      const run = await withReadModels((pool) => getRun(pool, syncId));
      if (!run) throw new CliExit(EXIT.failed, `no sync run ${syncId}`);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${run.source} ${run.syncType} sync ${run.syncId}: ${run.status}` +
          `${run.trigger ? `, ${run.trigger}` : ''}${run.requestedBy ? ` by ${run.requestedBy}` : ''}\n` +
          `started ${run.startedAt}${run.completedAt ? `, completed ${run.completedAt}` : ''}\n` +
          `${run.errorMessage ? `error: ${run.errorMessage}\n` : ''}\n${summaryTable(run.entityLogs)}\n` +
          run.entityLogs
            .filter((e) => e.deletionNote)
            .map((e) => `${e.entityType}: ${e.deletionNote}\n`)
            .join('') +
          run.entityLogs
            .filter((e) => (e.recordsDrifted ?? 0) > 0)
            .map(
              (e) =>
                `${e.entityType}: ${e.recordsDrifted} records older at the source than stored (drift: \`tributary reconcile ${run.source} --sample N\`)\n`,
            )
            .join(''),
      );
    });
}
