import type { Command } from 'commander';
import { SOURCES } from '@tributary/contracts';
import { lastCompletedRuns, listRuns, type RunStatus } from '@tributary/read-model';
import { withReadModels } from '../read-model-connection';

/** How long ago `iso` was, in the largest sensible unit ("3 min ago", "2 h ago"). */
export function ago(iso: string, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

function describe(run: RunStatus | null | undefined, at: (r: RunStatus) => string | null): string {
  if (!run) return 'none';
  const when = at(run);
  return `${run.status} ${run.syncType}${when ? `, ${ago(when)}` : ''} (${run.syncId.slice(0, 8)})`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("each source's latest run and latest successful sync")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { latest, completed } = await withReadModels(async (pool) => ({
        latest: Object.fromEntries(
          await Promise.all(SOURCES.map(async (s) => [s, (await listRuns(pool, s, 1))[0] ?? null] as const)),
        ),
        completed: await lastCompletedRuns(pool, SOURCES),
      }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ latest, lastCompleted: completed }, null, 2)}\n`);
        return;
      }
      for (const source of SOURCES) {
        process.stdout.write(
          `${source}\n  latest run:      ${describe(latest[source], (r) => r.startedAt)}\n` +
            `  last successful: ${describe(completed[source], (r) => r.completedAt)}\n`,
        );
      }
    });
}
